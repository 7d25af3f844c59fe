"""Planning concrete meeting days, and the client's one-plan-per-year rule."""

from datetime import UTC, date, datetime, time
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from aggregates.cadence_state import PlannedMeeting
from aggregates.errors import InvalidValueError, MeetingPlanAlreadyScheduledError
from commands.cadence import (
    OverrideClientCadence,
    PlanClientMeetings,
    ProposedMeeting,
)
from events.vocabulary import MeetingKind
from schedulers.annual_plan import DayShape, period_start, plan_meetings
from tests.unit.scenario import Scenario

STRATEGY = MeetingKind.STRATEGY_MEETING
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


ANY_WEEKDAY = DayShape()


def days(year: int, count: int, shape: DayShape = ANY_WEEKDAY,
         start: date | None = None) -> list[date]:
    return [m.scheduled_for.date() for m in plan_meetings(year, count, STRATEGY, shape, start)]


def test_a_quarterly_plan_falls_mid_quarter_on_the_nearest_business_day() -> None:
    assert days(2027, 4) == [date(2027, 2, 15), date(2027, 5, 14), date(2027, 8, 16),
                             date(2027, 11, 15)]


def test_an_every_other_month_plan_has_a_meeting_in_every_second_month() -> None:
    assert [d.month for d in days(2027, 6)] == [2, 4, 6, 8, 10, 12]


def test_every_planned_day_is_a_business_day() -> None:
    assert all(d.weekday() < 5 for count in (1, 2, 3, 4, 5, 6, 8, 12, 24) for d in days(2027, count))


def test_the_preferred_weekday_and_time_are_honoured() -> None:
    shape = DayShape(time_of_day=time(14, 30), timezone="Europe/Amsterdam", weekday=2)

    planned = plan_meetings(2027, 4, STRATEGY, shape)

    local = [m.scheduled_for.astimezone(ZoneInfo("Europe/Amsterdam")) for m in planned]
    assert {m.isoweekday() for m in local} == {2}
    assert {m.time() for m in local} == {time(14, 30)}


def test_holidays_are_skipped() -> None:
    assert date(2027, 2, 15) not in days(2027, 4, DayShape(holidays=frozenset({date(2027, 2, 15)})))


def test_a_rest_of_year_plan_is_the_full_plan_from_its_start() -> None:
    start = period_start(2027, datetime(2027, 6, 20, tzinfo=UTC), min_lead_days=7)

    assert days(2027, 4, start=start) == [d for d in days(2027, 4) if d >= date(2027, 6, 27)]


def test_a_year_already_over_has_no_period_to_plan() -> None:
    assert period_start(2026, datetime(2026, 12, 28, tzinfo=UTC), min_lead_days=7) is None


def plan_command(client_id: UUID, year: int = 2027) -> PlanClientMeetings:
    return PlanClientMeetings(
        client_id=client_id, year=year, period_start=date(year, 1, 1),
        meetings=[ProposedMeeting(kind=STRATEGY, scheduled_for=m.scheduled_for)
                  for m in plan_meetings(year, 4, STRATEGY, DayShape())],
        meetings_per_year=4, touches_per_month=1, cadence_source="rule:standard")


def test_a_plan_schedules_each_of_its_meetings(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(plan_command(client_id), scenario.scheduler, NOW)

    client = scenario.ledger.load_client(scenario.vcio, client_id)
    assert client.has_meeting_plan(2027) and len(client.meetings) == 4


def test_a_second_plan_for_the_same_year_is_refused(scenario: Scenario) -> None:
    client_id = scenario.client()
    scenario.bus.handle(plan_command(client_id), scenario.scheduler, NOW)

    with pytest.raises(MeetingPlanAlreadyScheduledError):
        scenario.bus.handle(plan_command(client_id), scenario.scheduler, NOW)


def test_the_same_plan_sent_twice_with_its_key_is_recorded_once(scenario: Scenario) -> None:
    client_id = scenario.client()
    key = f"plan:{client_id}:2027"
    scenario.bus.handle(plan_command(client_id), scenario.scheduler, NOW, key)

    again = scenario.bus.handle(plan_command(client_id), scenario.scheduler, NOW, key)

    assert again.replayed
    assert len(scenario.ledger.load_client(scenario.vcio, client_id).meetings) == 4


def test_a_meeting_outside_the_planned_year_is_refused(scenario: Scenario) -> None:
    client = scenario.ledger.load_client(scenario.vcio, scenario.client())
    stray = PlannedMeeting(uuid4(), STRATEGY, datetime(2028, 1, 14, 10, tzinfo=UTC))

    with pytest.raises(InvalidValueError):
        client.schedule_meeting_plan(year=2027, period_start=date(2027, 1, 1), meetings=[stray],
                                     meetings_per_year=1, touches_per_month=1,
                                     cadence_source="rule:standard", planned_as_of=NOW, by="x")


def test_an_override_without_a_reason_is_refused(scenario: Scenario) -> None:
    client = scenario.ledger.load_client(scenario.vcio, scenario.client())

    with pytest.raises(InvalidValueError):
        client.override_cadence(meetings_per_year=12, touches_per_month=2, reason=" ", by="x")


def test_an_override_is_kept_on_the_client_with_its_reason(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(OverrideClientCadence(
        client_id=client_id, meetings_per_year=12, touches_per_month=2, reason="merger year"), scenario.vcio)

    override = scenario.ledger.load_client(scenario.vcio, client_id).cadence_override
    assert override is not None and (override.meetings_per_year, override.reason) == (12, "merger year")


def test_clients_of_one_vcio_are_staggered_over_different_days() -> None:
    seeds = [uuid4().int for _ in range(40)]

    first_meetings = {plan_meetings(2027, 4, STRATEGY, ANY_WEEKDAY, seed=s)[0].scheduled_for
                      for s in seeds}

    assert len(first_meetings) >= 10


def test_a_client_s_stagger_is_the_same_on_every_run() -> None:
    seed = uuid4().int

    assert plan_meetings(2027, 6, STRATEGY, ANY_WEEKDAY, seed=seed) == plan_meetings(
        2027, 6, STRATEGY, ANY_WEEKDAY, seed=seed)
