"""What the cadence and annual-plan commands record through the bus: the handler's share (the
values passed on, meeting ids derived from the idempotency key, the calendar's one id per
tenant, ``now`` as the planning and noticing time, the expected version, replays); the
aggregates' rules are pinned in test_annual_plan.py and test_client_lifecycle.py."""

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from pydantic import ValidationError

from aggregates.client import Client
from aggregates.msp_calendar import MspCalendar
from commands.base import Command
from commands.cadence import (
    ClearClientCadenceOverride,
    NoticeOverdueActionItem,
    NoticeReviewArea,
    OverrideClientCadence,
    PlanClientMeetings,
    PlanCommitteeMeetings,
    ProposedMeeting,
    SetMeetingPreference,
    msp_calendar_id,
)
from commands.meetings import AddActionItem
from events.vocabulary import MeetingKind
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
FEB, MAY = datetime(2027, 2, 16, 10, tzinfo=UTC), datetime(2027, 5, 18, 10, tzinfo=UTC)
STRATEGY, COMMITTEE = MeetingKind.STRATEGY_MEETING, MeetingKind.STANDARDS_COMMITTEE


def client_plan(client_id: UUID, **fields: object) -> PlanClientMeetings:
    values: dict[str, object] = {
        "client_id": client_id, "year": 2027, "period_start": date(2027, 1, 4),
        "meetings": [ProposedMeeting(kind=STRATEGY, scheduled_for=FEB),
                     ProposedMeeting(kind=STRATEGY, scheduled_for=MAY)],
        "meetings_per_year": 2, "touches_per_month": 1, "cadence_source": "rule:standard"}
    values.update(fields)
    return PlanClientMeetings(**values)  # type: ignore[arg-type]


def committee_plan(review_at: datetime | None = None) -> PlanCommitteeMeetings:
    return PlanCommitteeMeetings(year=2027, period_start=date(2027, 1, 4), library_review_at=review_at,
                                 meetings=[ProposedMeeting(kind=COMMITTEE, scheduled_for=FEB),
                                           ProposedMeeting(kind=COMMITTEE, scheduled_for=MAY)])


def test_an_override_records_the_cadence_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(OverrideClientCadence(client_id=client_id, meetings_per_year=6, touches_per_month=2,
                                              reason="growing fast"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientCadenceOverridden)
    assert (event.meetings_per_year, event.touches_per_month, event.reason, event.by) == (
        6, 2, "growing fast", "vera.vcio")


def test_clearing_an_override_records_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()
    scenario.bus.handle(OverrideClientCadence(client_id=client_id, meetings_per_year=6, touches_per_month=2,
                                              reason="growing fast"), scenario.vcio, NOW)

    scenario.bus.handle(ClearClientCadenceOverride(client_id=client_id, reason="settled"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientCadenceOverrideCleared)
    assert (event.reason, event.by) == ("settled", "vera.vcio")


def test_a_meeting_preference_records_the_weekday_time_zone_and_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(SetMeetingPreference(client_id=client_id, weekday=3, time_of_day="14:30",
                                             timezone="Europe/Berlin"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.MeetingPreferenceSet)
    assert (event.weekday, event.time_of_day, event.timezone, event.by) == (
        3, "14:30", "Europe/Berlin", "vera.vcio")


def test_an_unknown_time_zone_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        SetMeetingPreference(client_id=UUID(int=1), timezone="Mars/Olympus")


def test_a_client_plan_records_its_values_the_time_of_planning_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(client_plan(client_id), scenario.scheduler, NOW)

    [event] = recorded(scenario, client_id, Client.MeetingPlanScheduled)
    assert (event.year, event.period_start, [(m["kind"], m["scheduled_for"]) for m in event.meetings],
            event.meetings_per_year, event.touches_per_month, event.cadence_source, event.planned_as_of,
            event.by) == (
        2027, date(2027, 1, 4), [(STRATEGY, FEB), (STRATEGY, MAY)], 2, 1, "rule:standard", NOW,
        "vcio-scheduler")


def test_a_client_plan_under_an_idempotency_key_numbers_its_meetings_from_one_under_that_key(
        scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(client_plan(client_id), scenario.scheduler, NOW, "plan-2027")

    [event] = recorded(scenario, client_id, Client.MeetingPlanScheduled)
    assert [m["meeting_id"] for m in event.meetings] == [
        scenario.ledger.new_id(scenario.scheduler, "plan-2027", f"meeting-{n}") for n in (1, 2)]


def test_a_client_plans_meetings_get_distinct_ids(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(client_plan(client_id), scenario.scheduler, NOW)

    [event] = recorded(scenario, client_id, Client.MeetingPlanScheduled)
    assert len({m["meeting_id"] for m in event.meetings}) == 2


def test_the_committee_plan_opens_the_tenants_one_calendar_and_records_the_plan(scenario: Scenario) -> None:
    result = scenario.bus.handle(committee_plan(), scenario.scheduler, NOW)

    assert result.aggregate_id == msp_calendar_id(scenario.ledger, scenario.scheduler)
    [opened] = recorded(scenario, result.aggregate_id, MspCalendar.MspCalendarOpened)
    [plan] = recorded(scenario, result.aggregate_id, MspCalendar.CommitteePlanScheduled)
    assert (opened.tenant, opened.by) == (scenario.tenant, "vcio-scheduler")
    assert (plan.year, plan.period_start, [m["scheduled_for"] for m in plan.meetings], plan.planned_as_of,
            plan.by) == (2027, date(2027, 1, 4), [FEB, MAY], NOW, "vcio-scheduler")
    assert recorded(scenario, result.aggregate_id, MspCalendar.LibraryReviewScheduled) == []


def test_the_calendar_id_is_the_same_for_every_process_of_a_tenant(scenario: Scenario) -> None:
    assert msp_calendar_id(scenario.ledger, scenario.scheduler) == scenario.ledger.new_id(
        scenario.committee, "msp-calendar", "msp-calendar")


def test_a_second_years_committee_plan_goes_into_the_same_calendar(scenario: Scenario) -> None:
    first = scenario.bus.handle(committee_plan(), scenario.scheduler, NOW)

    second = scenario.bus.handle(PlanCommitteeMeetings(
        year=2028, period_start=date(2028, 1, 3),
        meetings=[ProposedMeeting(kind=COMMITTEE, scheduled_for=datetime(2028, 3, 1, 10, tzinfo=UTC))]),
        scenario.scheduler, NOW)

    assert second.aggregate_id == first.aggregate_id
    assert [p.year for p in recorded(scenario, first.aggregate_id, MspCalendar.CommitteePlanScheduled)] == [
        2027, 2028]


def test_a_committee_plan_with_a_library_review_schedules_it_under_an_id_derived_from_the_key(
        scenario: Scenario) -> None:
    review_at = datetime(2027, 9, 14, 10, tzinfo=UTC)

    result = scenario.bus.handle(committee_plan(review_at), scenario.scheduler, NOW, "committee-2027")

    [review] = recorded(scenario, result.aggregate_id, MspCalendar.LibraryReviewScheduled)
    assert (review.review_id, review.year, review.scheduled_for, review.by) == (
        scenario.ledger.new_id(scenario.scheduler, "committee-2027", "library-review"), 2027, review_at,
        "vcio-scheduler")
    meetings = recorded(scenario, result.aggregate_id, MspCalendar.CommitteeMeetingScheduled)
    assert [m.meeting_id for m in meetings] == [
        scenario.ledger.new_id(scenario.scheduler, "committee-2027", f"meeting-{n}") for n in (1, 2)]


@pytest.mark.parametrize(("overdue", "kind"), [(False, Client.ReviewAreaFallingDue),
                                               (True, Client.ReviewAreaOverdue)])
def test_a_review_area_notice_records_the_area_the_dates_the_time_of_the_call_and_the_author(
        scenario: Scenario, overdue: bool, kind: type) -> None:
    client_id = scenario.client()

    scenario.bus.handle(NoticeReviewArea(client_id=client_id, category="backups", frequency_months=3,
                                         last_reviewed_on=date(2026, 9, 1), due_on=date(2026, 12, 1),
                                         overdue=overdue), scenario.scheduler, NOW)

    [event] = recorded(scenario, client_id, kind)
    assert (event.category, event.frequency_months, event.last_reviewed_on, event.due_on, event.noticed_at,
            event.by) == ("backups", 3, date(2026, 9, 1), date(2026, 12, 1), NOW, "vcio-scheduler")


def test_an_overdue_action_item_notice_records_the_item_its_follow_up_the_time_of_the_call_and_the_author(
        scenario: Scenario) -> None:
    client_id = scenario.client()
    item_id = scenario.bus.handle(AddActionItem(client_id=client_id, title="Quote", owner="vera.vcio",
                                                follow_up_on=date(2026, 12, 20)),
                                  scenario.vcio, NOW).created_id

    scenario.bus.handle(NoticeOverdueActionItem(client_id=client_id, action_item_id=item_id),
                        scenario.scheduler, NOW)

    [event] = recorded(scenario, client_id, Client.ActionItemFellOverdue)
    assert (event.action_item_id, event.follow_up_on, event.noticed_at, event.by) == (
        item_id, date(2026, 12, 20), NOW, "vcio-scheduler")


def commands(scenario: Scenario, stale: bool) -> list[Command]:
    client_id = scenario.client()
    item_id = scenario.bus.handle(AddActionItem(client_id=client_id, title="Quote", owner="vera.vcio",
                                                follow_up_on=date(2026, 12, 20)),
                                  scenario.vcio, NOW).created_id
    scenario.bus.handle(OverrideClientCadence(client_id=client_id, meetings_per_year=6, touches_per_month=2,
                                              reason="growing"), scenario.vcio, NOW)
    at = version(scenario, client_id) - 1 if stale else None
    assert item_id is not None
    return [OverrideClientCadence(client_id=client_id, meetings_per_year=4, touches_per_month=1,
                                  reason="calmer", expected_version=at),
            ClearClientCadenceOverride(client_id=client_id, reason="settled", expected_version=at),
            SetMeetingPreference(client_id=client_id, weekday=2, expected_version=at),
            client_plan(client_id, expected_version=at),
            NoticeReviewArea(client_id=client_id, category="backups", frequency_months=3,
                             last_reviewed_on=None, due_on=None, overdue=False, expected_version=at),
            NoticeOverdueActionItem(client_id=client_id, action_item_id=item_id, expected_version=at)]


@pytest.mark.parametrize("position", range(6))
def test_every_client_cadence_command_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, commands(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(6))
def test_every_client_cadence_command_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, commands(scenario, False)[position], NOW)


def test_a_committee_plan_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario) -> None:
    assert replayed_without_recording(scenario, committee_plan(), NOW)


@pytest.mark.parametrize("year", [2000, 2200])
def test_a_plan_may_be_for_any_year_from_2000_to_2200(year: int) -> None:
    assert PlanCommitteeMeetings(year=year, period_start=date(year, 1, 1), meetings=[]).year == year


@pytest.mark.parametrize("year", [1999, 2201])
def test_a_plan_for_a_year_outside_2000_to_2200_is_refused_naming_the_year(year: int) -> None:
    with pytest.raises(ValidationError) as refused:
        PlanCommitteeMeetings(year=year, period_start=date(2000, 1, 1), meetings=[])

    assert [e["loc"] for e in refused.value.errors()] == [("year",)]
