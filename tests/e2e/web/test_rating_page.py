"""A vCIO rates misaligned answers and turns findings into a recommendation the client approves."""

import re
from typing import Any

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def test_rating_a_misaligned_answer_changes_the_score(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {"FW-1": "no", "FW-2": "yes"}, submitted=True)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")
    expect(page.locator("#rating-score-value")).to_have_text("37.5")

    page.locator(f"#rate-{arrange.standards['FW-1']}").get_by_role("button", name="Marginal").click()

    expect(page.locator("#rating-score-value")).to_have_text("68.8")
    expect(page.locator(f"#rate-{arrange.standards['FW-1']} button[value=marginal]")).to_have_attribute(
        "aria-pressed", "true")
    shoot("rating-page")


def test_approving_a_recommendation_made_from_a_finding(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {"FW-1": "no", "FW-2": "yes"}, days_ago=10,
                   ratings={"FW-1": "highly_vulnerable"})
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")

    page.get_by_role("checkbox", name=re.compile("FW-1")).check()
    page.get_by_label("Title").fill("Replace the perimeter firewall")
    page.get_by_label("One-time budget").fill("4000")
    page.get_by_label("Target quarter").select_option(index=1)
    page.get_by_role("button", name="Propose recommendation").click()
    expect(page.get_by_role("status")).to_contain_text("The recommendation was proposed")
    recommendation = page.locator(".rec", has_text="Replace the perimeter firewall")
    expect(recommendation.locator(".badge.status-proposed")).to_have_text("proposed")

    recommendation.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("status")).to_contain_text("The approval was recorded")
    recommendation = page.locator(".rec", has_text="Replace the perimeter firewall")
    expect(recommendation.locator(".badge.status-approved")).to_have_text("approved")
    shoot("rating-recommendation-approved")
    page.goto(f"/clients/{client_id}")
    quarter = page.locator(".quarter", has_text="Replace the perimeter firewall")
    expect(quarter).to_contain_text("Budget USD 4,000")


def test_m_and_h_rate_the_focused_answer_and_move_on(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {"FW-1": "no", "FW-2": "no", "BK-1": "yes"}, submitted=True)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")
    first = page.locator(f"#rate-{arrange.standards['FW-1']}")
    second = page.locator(f"#rate-{arrange.standards['FW-2']}")

    page.keyboard.press("j")
    expect(first).to_be_focused()
    page.keyboard.press("m")
    expect(second).to_be_focused()
    page.keyboard.press("h")

    expect(first.locator("button[value=marginal]")).to_have_attribute("aria-pressed", "true")
    expect(second.locator("button[value=highly_vulnerable]")).to_have_attribute("aria-pressed", "true")
    page.reload()
    reloaded = page.locator(f"#rate-{arrange.standards['FW-2']} button[value=highly_vulnerable]")
    expect(reloaded).to_have_attribute("aria-pressed", "true")
