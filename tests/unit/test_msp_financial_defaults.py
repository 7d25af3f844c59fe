"""The MSP's currency and fiscal year as the `MspSettings` aggregate checks and dates them."""

from datetime import date, timedelta

import pytest

from aggregates.errors import InvalidValueError
from aggregates.msp_settings import MspSettings
from tests.unit.client_steps import refusal

TODAY = date(2026, 12, 1)


def opened() -> MspSettings:
    return MspSettings(tenant="msp-1", by="ada.admin")


def set_money(settings: MspSettings, currency: str = "USD", month: int = 1,
              effective_on: date = TODAY) -> None:
    settings.set_financial_defaults(currency=currency, fiscal_year_start_month=month,
                                    effective_on=effective_on, today=TODAY, reason="finance", by="ada.admin")


@pytest.mark.parametrize("currency", ["ABC", "usd", "", "XTS"])
def test_a_currency_not_in_circulation_is_refused_naming_currency_and_the_rule(currency: str) -> None:
    settings = opened()

    field, reason = refusal(InvalidValueError, lambda: set_money(settings, currency=currency))

    assert (field, reason) == ("currency", "is not a circulating ISO 4217 currency code, such as USD or EUR")


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_fiscal_month_outside_1_to_12_is_refused_by_the_aggregate_naming_it(month: int) -> None:
    settings = opened()

    field, reason = refusal(InvalidValueError, lambda: set_money(settings, month=month))

    assert (field, reason) == ("fiscal_year_start_month", "must be a month number 1-12")


@pytest.mark.parametrize("month", [1, 12])
def test_the_first_and_last_months_are_accepted(month: int) -> None:
    settings = opened()

    set_money(settings, month=month)

    assert settings.fiscal_year_start_month_on(TODAY) == month


def test_currency_and_fiscal_year_hold_from_their_day_until_the_next_change() -> None:
    settings = opened()
    later = TODAY + timedelta(days=30)
    set_money(settings, currency="USD", month=1)
    set_money(settings, currency="EUR", month=4, effective_on=later)

    in_force = [(settings.currency_on(day), settings.fiscal_year_start_month_on(day))
                for day in (TODAY - timedelta(days=1), TODAY, later - timedelta(days=1), later)]

    assert in_force == [(None, None), ("USD", 1), ("USD", 1), ("EUR", 4)]


def test_two_changes_for_the_same_day_leave_the_one_recorded_last_in_force() -> None:
    settings = opened()
    set_money(settings, currency="GBP", month=4)
    set_money(settings, currency="CHF", month=7)

    assert (settings.currency_on(TODAY), settings.fiscal_year_start_month_on(TODAY)) == ("CHF", 7)


def test_each_change_is_counted() -> None:
    settings = opened()

    set_money(settings)
    set_money(settings, currency="EUR")

    assert settings.changes == 2
