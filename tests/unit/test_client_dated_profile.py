"""A profile change dated later holds from its day in the ``Client`` aggregate, not at once:
decisions taken before that day use the values in force on their day."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from aggregates.errors import InvalidValueError
from commands.cadence import PlanClientMeetings, ProposedMeeting
from commands.clients import ChangeClientProfile
from commands.recommendations import ProposeRecommendation
from events.vocabulary import MeetingKind
from schedulers.annual_plan import DayShape, plan_meetings
from tests.unit.scenario import Scenario

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STRATEGY = MeetingKind.STRATEGY_MEETING


def change(scenario: Scenario, client_id: UUID, effective_on: date, **changes: Any) -> None:
    scenario.bus.handle(ChangeClientProfile(client_id=client_id, changes=changes, effective_on=effective_on),
                        scenario.vcio, NOW)


def profile_on(scenario: Scenario, client_id: UUID, day: date) -> Any:
    return scenario.ledger.load_client(scenario.vcio, client_id).profile_on(day)


def test_a_raise_dated_next_month_is_not_in_force_before_its_day(scenario: Scenario) -> None:
    client_id = scenario.client()

    change(scenario, client_id, date(2027, 1, 1), mrr="4500.00")

    assert profile_on(scenario, client_id, date(2026, 12, 31)).mrr == Decimal("3000.00")


def test_a_raise_dated_next_month_is_in_force_from_its_day(scenario: Scenario) -> None:
    client_id = scenario.client()

    change(scenario, client_id, date(2027, 1, 1), mrr="4500.00")

    assert profile_on(scenario, client_id, date(2027, 1, 1)).mrr == Decimal("4500.00")


def test_the_latest_day_wins_whatever_the_order_recorded(scenario: Scenario) -> None:
    client_id = scenario.client()
    change(scenario, client_id, date(2027, 3, 1), complexity=9)

    change(scenario, client_id, date(2027, 2, 1), complexity=7)

    days = [date(2027, 1, 31), date(2027, 2, 1), date(2027, 3, 1)]
    assert [profile_on(scenario, client_id, d).complexity for d in days] == [5, 7, 9]


def test_a_change_equal_to_the_value_already_scheduled_for_its_day_is_refused(scenario: Scenario) -> None:
    client_id = scenario.client()
    change(scenario, client_id, date(2027, 1, 1), user_count=40)

    with pytest.raises(InvalidValueError, match="changes"):
        change(scenario, client_id, date(2027, 2, 1), user_count=40)


def test_a_change_back_to_todays_value_before_a_scheduled_one_is_refused(scenario: Scenario) -> None:
    client_id = scenario.client()
    change(scenario, client_id, date(2027, 1, 1), user_count=40)

    with pytest.raises(InvalidValueError, match="changes"):
        change(scenario, client_id, NOW.date(), user_count=24)


def test_a_target_quarter_before_a_new_fiscal_year_takes_effect_follows_the_old_one(
        scenario: Scenario) -> None:
    client_id = scenario.client()  # fiscal year from January: quarters start Jan, Apr, Jul, Oct
    change(scenario, client_id, date(2027, 6, 1), fiscal_year_start_month=2)

    result = scenario.bus.handle(ProposeRecommendation(
        client_id=client_id, title="Replace the firewall", owner="vera.vcio",
        target_quarter_start=date(2027, 4, 1)), scenario.vcio, NOW)

    assert result.aggregate_id == client_id


def test_a_target_quarter_after_a_new_fiscal_year_takes_effect_follows_the_new_one(
        scenario: Scenario) -> None:
    client_id = scenario.client()
    change(scenario, client_id, date(2027, 6, 1), fiscal_year_start_month=2)

    with pytest.raises(InvalidValueError, match="target_quarter_start"):
        scenario.bus.handle(ProposeRecommendation(
            client_id=client_id, title="Replace the firewall", owner="vera.vcio",
            target_quarter_start=date(2027, 7, 1)), scenario.vcio, NOW)


def test_planned_meetings_are_attended_by_the_vcio_in_force_on_each_meetings_day(
        scenario: Scenario) -> None:
    client_id = scenario.client()  # vera.vcio until July, then victor.vcio
    change(scenario, client_id, date(2027, 7, 1), vcio="victor.vcio")

    scenario.bus.handle(PlanClientMeetings(
        client_id=client_id, year=2027, period_start=date(2027, 1, 1),
        meetings=[ProposedMeeting(kind=STRATEGY, scheduled_for=m.scheduled_for)
                  for m in plan_meetings(2027, 4, STRATEGY, DayShape())],
        meetings_per_year=4, touches_per_month=1, cadence_source="rule:standard"), scenario.scheduler, NOW)

    scheduled = [e for e in scenario.ledger.events.get(client_id) if hasattr(e, "attendees")]
    assert sorted((e.scheduled_for.month, tuple(e.attendees)) for e in scheduled) == [
        (2, ("vera.vcio",)), (5, ("vera.vcio",)), (8, ("victor.vcio",)), (11, ("victor.vcio",))]
