"""An admin changes the cadence rules and the currency and fiscal year on the Settings page;
a rule set where more gives less is refused naming both rows, and nothing changes."""

from typing import Any

import pytest

from tests.e2e.web.conftest import SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def test_an_admin_changes_a_row_of_the_cadence_rules_and_sees_it_in_force(
        page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_label("Row 5 meetings a year").fill("5")
    page.locator("#cr-reason").fill("the average client wants a fifth visit")
    page.get_by_role("button", name="Record the cadence rules").click()

    expect(page.get_by_role("status")).to_contain_text("The cadence rules were recorded")
    expect(page.get_by_label("Row 5 meetings a year")).to_have_value("5")
    expect(page.locator("#cadence")).to_contain_text("This MSP's own rules")
    expect(page.locator("#changes")).to_contain_text("a fifth visit")


def test_an_admin_adds_a_row_in_the_empty_lines(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")
    page.get_by_label("Row 5 name").fill("mid-size")  # the fallback moves to the new last row
    page.get_by_label("Row 5 users min").fill("40")
    page.get_by_label("Row 6 name").fill("everyone else")
    page.get_by_label("Row 6 meetings a year").fill("4")
    page.get_by_label("Row 6 touches a month").fill("1")
    page.locator("#cr-reason").fill("forty users and up need more")

    page.get_by_role("button", name="Record the cadence rules").click()

    expect(page.get_by_label("Row 6 name")).to_have_value("everyone else")
    expect(page.get_by_label("Row 5 users min")).to_have_value("40")


def test_rules_where_more_mrr_gives_fewer_meetings_are_refused_naming_both_rows(
        page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_label("Row 1 meetings a year").fill("3")  # 'large' (MRR 15,000 up) below 'standard'
    page.locator("#cr-reason").fill("fewer visits for big clients")
    page.get_by_role("button", name="Record the cadence rules").click()

    expect(page.get_by_role("heading", name="That cannot be done")).to_be_visible()
    expect(page.locator("main")).to_contain_text("break 'more never gives less'")
    expect(page.locator("main")).to_contain_text("'large'")
    expect(page.locator("main")).to_contain_text("'standard'")


def test_a_refused_rule_set_changes_nothing(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")
    page.get_by_label("Row 1 meetings a year").fill("3")
    page.locator("#cr-reason").fill("fewer visits for big clients")
    page.get_by_role("button", name="Record the cadence rules").click()

    page.goto("/settings")

    expect(page.get_by_label("Row 1 meetings a year")).to_have_value("12")
    expect(page.locator("#changes")).to_contain_text("No change yet")


def test_a_cell_that_is_not_a_number_is_refused_naming_its_row(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_label("Row 2 touches a month").fill("two")
    page.locator("#cr-reason").fill("typo")
    page.get_by_role("button", name="Record the cadence rules").click()

    expect(page.locator("main")).to_contain_text("row 2 touches_per_month")


def test_an_admin_sets_the_currency_and_fiscal_year(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")

    page.get_by_label("Currency (ISO 4217 code)").fill("eur")
    page.get_by_label("Fiscal year starts in").select_option(label="July")
    page.locator("#fd-reason").fill("we moved to Dublin")
    page.get_by_role("button", name="Record the currency and fiscal year").click()

    expect(page.locator("#currency")).to_have_text("EUR")
    expect(page.locator("#fiscal-month")).to_have_text("July")


def test_an_unknown_currency_is_refused_and_nothing_changes(page: Any, sign_in: SignIn) -> None:
    sign_in("admin", "ada.admin")
    page.goto("/settings")
    page.get_by_label("Currency (ISO 4217 code)").fill("ZZZ")
    page.locator("#fd-reason").fill("typo")

    page.get_by_role("button", name="Record the currency and fiscal year").click()

    expect(page.get_by_role("heading", name="Please check the form")).to_be_visible()
    page.goto("/settings")
    expect(page.locator("#currency")).to_have_text("USD")


def test_a_vcio_reads_the_cadence_rules_without_a_form(page: Any, sign_in: SignIn) -> None:
    sign_in("vcio", "vera.vcio")

    page.goto("/settings")

    expect(page.locator("#rule-1")).to_contain_text("large")
    expect(page.get_by_role("button", name="Record the cadence rules")).to_have_count(0)
