"""The calendar arithmetic of the strategy read models: months, fiscal years and quarters, how a
recommendation's budget falls into months, and periods of days."""

import time
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from projections.fiscal import (
    ZERO,
    Period,
    add_months,
    costs_in_month,
    fiscal_quarter_start,
    fiscal_year,
    fiscal_year_start,
    month_start,
    months_from,
    quarter_label,
)

ONE_TIME, RECURRING = Decimal("900.00"), Decimal("45.00")


def test_a_month_starts_on_its_first_day() -> None:
    assert month_start(date(2025, 5, 17)) == date(2025, 5, 1)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 11, 15), 3, date(2026, 2, 1)),
    (date(2025, 2, 10), -2, date(2024, 12, 1)),
    (date(2025, 12, 31), 0, date(2025, 12, 1)),
    (date(1, 1, 5), 0, date(1, 1, 1)),
    (date(9999, 11, 30), 1, date(9999, 12, 1)),
])
def test_adding_months_gives_the_first_day_of_the_month_that_many_months_later(
        day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("day", "months"), [(date(9999, 12, 1), 1), (date(1, 1, 1), -1)])
def test_adding_months_beyond_the_calendar_is_refused_naming_the_range(day: date, months: int) -> None:
    with pytest.raises(ValueError, match=rf"^{day} plus {months} months leaves the years 1-9999$"):
        add_months(day, months)


def test_months_from_a_month_are_consecutive_first_days_across_the_year_end() -> None:
    assert months_from(date(2025, 11, 1), 3) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]


@pytest.mark.parametrize(("day", "start_month", "expected"), [
    (date(2025, 8, 20), 7, date(2025, 7, 1)),
    (date(2025, 6, 30), 7, date(2025, 4, 1)),
    (date(2025, 5, 5), 1, date(2025, 4, 1)),
    (date(2025, 1, 31), 2, date(2024, 11, 1)),
])
def test_a_fiscal_quarter_starts_on_the_first_day_of_its_first_month(
        day: date, start_month: int, expected: date) -> None:
    assert fiscal_quarter_start(day, start_month) == expected


@pytest.mark.parametrize(("day", "start_month", "expected"), [
    (date(2025, 3, 10), 7, date(2024, 7, 1)),
    (date(2025, 7, 1), 7, date(2025, 7, 1)),
    (date(2025, 12, 31), 1, date(2025, 1, 1)),
])
def test_a_fiscal_year_starts_on_the_first_day_of_its_start_month(
        day: date, start_month: int, expected: date) -> None:
    assert fiscal_year_start(day, start_month) == expected


@pytest.mark.parametrize(("day", "start_month", "expected"), [
    (date(2025, 7, 1), 7, 2026),
    (date(2025, 6, 30), 7, 2025),
    (date(2025, 12, 31), 1, 2025),
    (date(2025, 1, 1), 1, 2025),
])
def test_a_fiscal_year_is_named_after_the_calendar_year_in_which_it_ends(
        day: date, start_month: int, expected: int) -> None:
    assert fiscal_year(day, start_month) == expected


@pytest.mark.parametrize(("quarter_start", "start_month", "expected"), [
    (date(2025, 7, 1), 7, "FY2026 Q1"),
    (date(2025, 10, 1), 7, "FY2026 Q2"),
    (date(2026, 1, 1), 7, "FY2026 Q3"),
    (date(2026, 4, 1), 7, "FY2026 Q4"),
    (date(2025, 1, 1), 1, "FY2025 Q1"),
    (date(2025, 12, 1), 3, "FY2026 Q4"),
])
def test_a_quarter_is_labelled_with_its_fiscal_year_and_number(
        quarter_start: date, start_month: int, expected: str) -> None:
    assert quarter_label(quarter_start, start_month) == expected


def test_an_unscheduled_recommendation_costs_nothing_in_any_month() -> None:
    assert costs_in_month(date(2025, 7, 1), None, ONE_TIME, RECURRING) == (ZERO, ZERO)


def test_a_recommendation_costs_nothing_before_its_target_quarter() -> None:
    assert costs_in_month(date(2025, 6, 1), date(2025, 7, 1), ONE_TIME, RECURRING) == (ZERO, ZERO)


def test_the_one_time_and_recurring_budget_fall_in_the_first_month_of_the_target_quarter() -> None:
    assert costs_in_month(date(2025, 7, 1), date(2025, 7, 15), ONE_TIME, RECURRING) == (ONE_TIME, RECURRING)


def test_only_the_recurring_budget_falls_in_later_months() -> None:
    assert costs_in_month(date(2026, 3, 1), date(2025, 7, 1), ONE_TIME, RECURRING) == (ZERO, RECURRING)


def test_the_costs_of_a_month_are_zero_with_two_decimals() -> None:
    assert str(costs_in_month(date(2025, 6, 1), None, ONE_TIME, RECURRING)[0]) == "0.00"


@pytest.mark.parametrize("end", [date(2025, 1, 1), date(2024, 12, 31)])
def test_a_period_that_does_not_end_after_it_starts_is_refused(end: date) -> None:
    with pytest.raises(ValueError, match="^a period must end after it starts$"):
        Period(date(2025, 1, 1), end)


def test_a_period_of_one_day_is_accepted() -> None:
    assert Period(date(2025, 1, 1), date(2025, 1, 2)).contains(date(2025, 1, 1))


@pytest.mark.parametrize(("moment", "inside"), [
    (None, False),
    (date(2024, 12, 31), False),
    (date(2025, 1, 1), True),
    (date(2025, 1, 31), True),
    (date(2025, 2, 1), False),
    (datetime(2025, 2, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))), True),
    (datetime(2024, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-2))), True),
    (datetime(2025, 2, 1, 0, 0, tzinfo=UTC), False),
])
def test_a_period_holds_the_days_from_its_start_up_to_but_not_including_its_end(
        moment: date | datetime | None, inside: bool) -> None:
    assert Period(date(2025, 1, 1), date(2025, 2, 1)).contains(moment) is inside


def test_a_period_starts_and_ends_at_midnight_utc() -> None:
    period = Period(date(2025, 1, 1), date(2025, 2, 1))

    assert (period.start_at, period.end_at) == (
        datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))


@pytest.mark.parametrize(("start", "end", "months"), [
    (date(2025, 1, 1), date(2025, 4, 1), "3.0000"),
    (date(2025, 1, 1), date(2025, 1, 16), "0.4839"),
    (date(2025, 1, 16), date(2025, 3, 1), "1.5161"),
    (date(2025, 2, 10), date(2025, 2, 24), "0.5000"),
])
def test_a_period_lasts_its_months_counted_by_the_share_of_their_days_inside_it(
        start: date, end: date, months: str) -> None:
    assert str(Period(start, end).months) == months


def test_a_moment_is_placed_in_a_period_by_its_utc_date_whatever_the_servers_time_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        inside = Period(date(2025, 1, 1), date(2025, 2, 1)).contains(datetime(2025, 1, 31, 20, tzinfo=UTC))
    finally:
        monkeypatch.undo()
        time.tzset()

    assert inside is True
