"""The vCIO's stage in the browser: rate after the TAM submitted, send an item back with a
comment, and finalise, choosing explicitly what happens to misaligned answers left unrated; and
the dashboard's "waiting for me" lists."""

from typing import Any
from uuid import UUID

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def submitted(arrange: Arrange) -> UUID:
    """A review submitted by the TAM: FW-1 misaligned and unrated, FW-2 aligned."""
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {"FW-1": "no", "FW-2": "yes"}, submitted=True)
    return client_id


def test_finalising_with_an_unrated_answer_needs_a_choice_and_records_the_one_made(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = submitted(arrange)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")
    expect(page.locator("#unrated-warning")).to_contain_text("1 misaligned answer is not rated")

    page.get_by_role("button", name="Finalise review").click()
    expect(page.locator("#finalise-review")).to_be_visible()  # the browser asks for a choice first
    page.get_by_label("Record it as highly vulnerable").check()
    shoot("rating-finalise-choice")
    page.get_by_role("button", name="Finalise review").click()

    expect(page.get_by_role("status")).to_contain_text("The review is finalised")
    misaligned = page.locator(".misaligned-list li", has_text="FW-1")
    expect(misaligned).to_contain_text("highly vulnerable")


def test_choosing_to_rate_now_leaves_the_review_to_be_finalised(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = submitted(arrange)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")

    page.get_by_label("Rate it now").check()
    page.get_by_role("button", name="Finalise review").click()

    expect(page.locator("#finalise-review")).to_be_visible()
    expect(page.locator(f"#rate-{arrange.standards['FW-1']} button[value=marginal]")).to_be_visible()


def test_the_finalise_box_follows_the_ratings(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = submitted(arrange)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")

    page.locator(f"#rate-{arrange.standards['FW-1']}").get_by_role("button", name="Marginal").click()

    expect(page.locator("#finalise-review")).to_contain_text("Every misaligned answer is rated")
    expect(page.locator("#unrated-warning")).to_have_count(0)


def test_an_item_sent_back_reaches_the_tam_with_the_comment(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = submitted(arrange)
    sign_in("vcio", "vera.vcio")
    page.goto(f"/clients/{client_id}/rating")
    item = page.locator(f"#rate-{arrange.standards['FW-1']}")
    item.get_by_text("Send back to the TAM").click()
    item.get_by_label("What should the TAM look at again?").fill("Check the branch office too")
    item.get_by_role("button", name="Send back").click()
    expect(page.get_by_role("status")).to_contain_text("sent back to the TAM")

    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    returned = page.locator(f"#item-{arrange.standards['FW-1']}")
    expect(returned.locator(".sent-back")).to_contain_text("Check the branch office too")
    expect(returned.locator("button[value=yes]")).to_be_visible()
    expect(page.locator(f"#item-{arrange.standards['FW-2']} button[value=yes]")).to_have_count(0)
    shoot("review-item-sent-back")


def test_the_dashboard_lists_what_waits_for_the_signed_in_role(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    submitted(arrange)
    sign_in("vcio", "vera.vcio")

    page.goto("/dashboard")

    expect(page.locator("[data-waiting=to_rate]")).to_contain_text("Acme Dental")
    expect(page.locator("#waiting-to_answer")).to_have_count(0)
