"""An admin reads and changes the MSP's settings in the browser; other roles only read them."""

from typing import Any

import pytest

from tests.e2e.web.conftest import SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def test_an_admin_changes_the_review_lead_time_and_sees_the_change_listed(
        page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")
    expect(page.locator("#lead-days")).to_have_text("14")

    page.get_by_label("Days before the meeting").fill("21")
    page.locator("#lt-reason").fill("strategy meetings need three weeks of preparation")
    page.get_by_role("button", name="Record the lead time").click()

    expect(page.get_by_role("status")).to_contain_text("The review lead time was recorded")
    expect(page.locator("#lead-days")).to_have_text("21")
    expect(page.locator("#changes")).to_contain_text("three weeks of preparation")


def test_an_admin_changes_the_scoring_policy(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_text("Change the scoring policy…").click()
    page.get_by_label("Marginal earns").fill("0.25")
    page.locator("#sp-reason").fill("marginal findings were scored too kindly")
    page.get_by_role("button", name="Record the scoring policy").click()

    expect(page.locator("#factor-marginal")).to_have_text("0.25")


def test_a_weight_that_is_not_a_number_is_refused_and_nothing_changes(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_text("Change the scoring policy…").click()
    page.get_by_label("Weight of a high standard").fill("lots")
    page.locator("#sp-reason").fill("typo")
    page.get_by_role("button", name="Record the scoring policy").click()

    expect(page.get_by_role("heading", name="Please check the form")).to_be_visible()
    page.goto("/settings")
    expect(page.locator("#weight-high")).to_have_text("5")


def test_a_vcio_reads_the_settings_but_has_no_form_to_change_them(page: Any, sign_in: SignIn) -> None:
    sign_in("vcio", "vera.vcio")

    page.goto("/settings")

    expect(page.locator("#weight-high")).to_have_text("5")
    expect(page.get_by_role("button", name="Record the lead time")).to_have_count(0)
