"""What the Client's cadence, annual-plan and notice commands record, and the plan rules they keep."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.cadence_state import (
    CadenceOverride,
    MeetingPreference,
    PlannedMeeting,
    check_cadence,
    check_plan,
    check_preference,
)
from aggregates.client import Client
from aggregates.client_cadence import action_item_notice_key, review_area_notice_key
from aggregates.errors import (
    ActionItemAlreadyCompletedError,
    ClientOffboardedError,
    DuplicateIdError,
    InvalidValueError,
    MeetingPlanAlreadyScheduledError,
    NoCadenceOverrideError,
    NoticeAlreadyGivenError,
)
from events.vocabulary import MeetingKind

PLANNED_AS_OF = datetime(2027, 1, 4, 6, tzinfo=UTC)
NOTICED_AT = datetime(2027, 5, 10, 6, tzinfo=UTC)


def onboarded() -> Client:
    return Client(tenant="msp-1", name="Acme", mrr=Decimal("3000.00"), user_count=24, complexity=5,
                  industry="legal", fiscal_year_start_month=1, vcio="vera", tam="tom", by="vera")


def last_event(client: Client) -> Any:
    return client.pending_events[-1]


def meeting(when: datetime, kind: MeetingKind = MeetingKind.STRATEGY_MEETING) -> PlannedMeeting:
    return PlannedMeeting(uuid4(), kind, when)


def planned(client: Client, meetings: list[PlannedMeeting], year: int = 2027,
            period_start: date = date(2027, 1, 1), meetings_per_year: int = 4) -> None:
    client.schedule_meeting_plan(year=year, period_start=period_start, meetings=meetings,
                                 meetings_per_year=meetings_per_year, touches_per_month=2,
                                 cadence_source="rule:standard", planned_as_of=PLANNED_AS_OF,
                                 by="vcio-scheduler")


def refusal(error: type[Exception], act: Any) -> tuple[str, str]:
    with pytest.raises(error) as raised:
        act()
    return raised.value.field, raised.value.reason  # type: ignore[attr-defined]


# --- the plan rules ----------------------------------------------------------------------------

@pytest.mark.parametrize(("meetings", "touches"), [(0, 0), (52, 31)])
def test_a_cadence_at_the_ends_of_its_ranges_is_accepted(meetings: int, touches: int) -> None:
    client = onboarded()

    client.override_cadence(meetings_per_year=meetings, touches_per_month=touches, reason="r", by="vera")

    assert client.cadence_override == CadenceOverride(meetings, touches, "r")


@pytest.mark.parametrize(("meetings", "touches", "field", "reason"), [
    (-1, 0, "meetings_per_year", "must be between 0 and 52"),
    (53, 0, "meetings_per_year", "must be between 0 and 52"),
    (4, -1, "touches_per_month", "must be between 0 and 31"),
    (4, 32, "touches_per_month", "must be between 0 and 31"),
])
def test_a_cadence_out_of_range_is_refused_naming_the_field_and_range(
        meetings: int, touches: int, field: str, reason: str) -> None:
    assert refusal(InvalidValueError, lambda: check_cadence(meetings, touches)) == (field, reason)


@pytest.mark.parametrize(("weekday", "time_of_day"), [(1, "00:00"), (5, "23:59"), (None, None), (3, "19:30")])
def test_a_business_day_and_an_hh_mm_time_are_accepted(weekday: int | None, time_of_day: str | None) -> None:
    client = onboarded()

    client.set_meeting_preference(weekday=weekday, time_of_day=time_of_day, timezone="UTC", by="vera")

    assert client.meeting_preference == MeetingPreference(weekday, time_of_day, "UTC")


@pytest.mark.parametrize("weekday", [0, 6])
def test_a_weekday_outside_monday_to_friday_is_refused(weekday: int) -> None:
    assert refusal(InvalidValueError, lambda: check_preference(weekday, None)) == (
        "weekday", "must be a business day, 1 (Monday) to 5 (Friday)")


@pytest.mark.parametrize("time_of_day", ["24:00", "9:30", "09:60", "09:30x", "x09:30"])
def test_a_time_that_is_not_hh_mm_is_refused(time_of_day: str) -> None:
    assert refusal(InvalidValueError, lambda: check_preference(1, time_of_day)) == (
        "time_of_day", "must be a time of day as HH:MM")


def test_a_plan_period_starting_in_another_year_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: check_plan(2027, date(2026, 12, 31), [])) == (
        "period_start", "must be a day of 2027")


def test_two_planned_meetings_under_one_id_are_refused() -> None:
    first = meeting(datetime(2027, 3, 1, 9, tzinfo=UTC))
    twin = PlannedMeeting(first.meeting_id, first.kind, datetime(2027, 6, 1, 9, tzinfo=UTC))

    assert refusal(InvalidValueError, lambda: check_plan(2027, date(2027, 1, 1), [first, twin])) == (
        "meetings", "two proposed meetings share an id")


def test_a_planned_meeting_without_a_timezone_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: check_plan(
        2027, date(2027, 1, 1), [meeting(datetime(2027, 3, 1, 9))])) == (
        "meetings", "a proposed time must be timezone-aware")


@pytest.mark.parametrize("when", [
    datetime(2027, 3, 31, 23, tzinfo=UTC),
    datetime(2027, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-2)))])
def test_a_meeting_before_the_period_or_after_the_year_in_utc_is_refused(when: datetime) -> None:
    day = when.astimezone(UTC).date()

    assert refusal(InvalidValueError, lambda: check_plan(2027, date(2027, 4, 1), [meeting(when)])) == (
        "meetings", f"{day} is outside the planned period 2027-04-01 to the end of 2027")


@pytest.mark.usefixtures("server_in_new_york")
def test_a_meeting_is_placed_in_the_year_by_its_utc_day_whatever_the_server_s_timezone() -> None:
    new_year_in_utc = datetime(2028, 1, 1, 3, tzinfo=UTC)

    assert refusal(InvalidValueError,
                   lambda: check_plan(2027, date(2027, 1, 1), [meeting(new_year_in_utc)])) == (
        "meetings", "2028-01-01 is outside the planned period 2027-01-01 to the end of 2027")


def test_meetings_on_the_first_day_of_the_period_and_the_last_day_of_the_year_are_accepted() -> None:
    meetings = [meeting(datetime(2027, 4, 1, 0, tzinfo=UTC)), meeting(datetime(2027, 12, 31, 23, tzinfo=UTC)),
                meeting(datetime(2028, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))))]

    client = onboarded()

    planned(client, meetings, period_start=date(2027, 4, 1))

    assert set(client.meetings) == {m.meeting_id for m in meetings}


def test_a_planned_meeting_makes_a_record_and_back() -> None:
    planned_meeting = meeting(datetime(2027, 3, 1, 9, tzinfo=UTC), MeetingKind.TECHNOLOGY_BUSINESS_REVIEW)
    record = planned_meeting.to_record()

    assert record == {"meeting_id": planned_meeting.meeting_id,
                      "kind": MeetingKind.TECHNOLOGY_BUSINESS_REVIEW,
                      "scheduled_for": datetime(2027, 3, 1, 9, tzinfo=UTC)}
    assert PlannedMeeting.from_record({**record, "meeting_id": str(planned_meeting.meeting_id),
                                       "kind": "technology_business_review"}) == planned_meeting


# --- the annual plan ---------------------------------------------------------------------------

def test_a_meeting_plan_records_its_year_period_meetings_cadence_and_source() -> None:
    client = onboarded()
    meetings = [meeting(datetime(2027, 3, 1, 9, tzinfo=UTC)), meeting(datetime(2027, 9, 1, 9, tzinfo=UTC))]

    planned(client, meetings, meetings_per_year=2)

    event = next(e for e in client.pending_events if isinstance(e, Client.MeetingPlanScheduled))
    assert (event.year, event.period_start, event.meetings, event.meetings_per_year,
            event.touches_per_month, event.cadence_source, event.planned_as_of, event.by) == (
        2027, date(2027, 1, 1), [m.to_record() for m in meetings], 2, 2, "rule:standard", PLANNED_AS_OF,
        "vcio-scheduler")


def test_a_meeting_plan_schedules_each_meeting_with_the_vcio_attending() -> None:
    client = onboarded()
    meetings = [meeting(datetime(2027, 3, 1, 9, tzinfo=UTC)), meeting(datetime(2027, 9, 1, 9, tzinfo=UTC))]

    planned(client, meetings)

    scheduled = [e for e in client.pending_events if isinstance(e, Client.MeetingScheduled)]
    assert [(e.meeting_id, e.kind, e.scheduled_for, e.attendees, e.by) for e in scheduled] == [
        (m.meeting_id, m.kind, m.scheduled_for, ["vera"], "vcio-scheduler") for m in meetings]
    assert (client.has_meeting_plan(2027), client.has_meeting_plan(2028)) == (True, False)


def test_a_second_plan_for_a_year_is_refused_naming_the_year() -> None:
    client = onboarded()
    planned(client, [])

    assert refusal(MeetingPlanAlreadyScheduledError, lambda: planned(client, [])) == (
        "year", "the client already has a meeting plan for 2027")


def test_a_plan_for_another_year_is_accepted_after_one_for_this_year() -> None:
    client = onboarded()
    planned(client, [])

    planned(client, [], year=2028, period_start=date(2028, 1, 1))

    assert client.planned_years == frozenset({2027, 2028})


def test_a_plan_for_an_offboarded_client_is_refused() -> None:
    client = onboarded()
    client.offboard(effective_on=date(2027, 1, 1), reason="ended", by="vera")

    assert refusal(ClientOffboardedError, lambda: planned(client, []))[0] == "client_id"


def test_a_plan_with_a_cadence_out_of_range_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError,
                   lambda: planned(client, [], meetings_per_year=53))[0] == "meetings_per_year"


def test_a_plan_whose_meeting_is_outside_the_year_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: planned(
        client, [meeting(datetime(2028, 2, 1, 9, tzinfo=UTC))]))[0] == "meetings"


def test_a_plan_reusing_the_id_of_an_existing_meeting_is_refused_naming_it() -> None:
    client = onboarded()
    existing = meeting(datetime(2027, 3, 1, 9, tzinfo=UTC))
    client.schedule_meeting(meeting_id=existing.meeting_id, kind=existing.kind,
                            scheduled_for=existing.scheduled_for, attendees=[], by="vera")

    assert refusal(DuplicateIdError, lambda: planned(client, [existing])) == (
        "meetings", f"meeting {existing.meeting_id} exists")


# --- override and preference -------------------------------------------------------------------

def test_an_override_records_the_cadence_and_reason_and_is_kept_on_the_client() -> None:
    client = onboarded()

    client.override_cadence(meetings_per_year=6, touches_per_month=3, reason="busy season", by="vera")

    event = last_event(client)
    assert (type(event), event.meetings_per_year, event.touches_per_month, event.reason, event.by) == (
        Client.ClientCadenceOverridden, 6, 3, "busy season", "vera")
    assert client.cadence_override == CadenceOverride(6, 3, "busy season")


def test_an_override_equal_to_the_current_one_is_refused() -> None:
    client = onboarded()
    client.override_cadence(meetings_per_year=6, touches_per_month=3, reason="busy", by="vera")

    assert refusal(InvalidValueError, lambda: client.override_cadence(
        meetings_per_year=6, touches_per_month=3, reason="again", by="vera")) == (
        "meetings_per_year", "is already the client's cadence override")


@pytest.mark.parametrize(("meetings", "touches"), [(6, 4), (7, 3)])
def test_an_override_changing_either_number_is_accepted(meetings: int, touches: int) -> None:
    client = onboarded()
    client.override_cadence(meetings_per_year=6, touches_per_month=3, reason="busy", by="vera")

    client.override_cadence(meetings_per_year=meetings, touches_per_month=touches, reason="r", by="vera")

    assert client.cadence_override == CadenceOverride(meetings, touches, "r")


def test_an_override_without_a_reason_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.override_cadence(
        meetings_per_year=6, touches_per_month=3, reason=" ", by="vera")) == (
        "reason", "say why (an override must be explainable later)")


def test_an_override_out_of_range_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.override_cadence(
        meetings_per_year=6, touches_per_month=32, reason="r", by="vera"))[0] == "touches_per_month"


def test_clearing_an_override_records_the_reason_and_removes_it() -> None:
    client = onboarded()
    client.override_cadence(meetings_per_year=6, touches_per_month=3, reason="busy", by="vera")

    client.clear_cadence_override(reason="back to normal", by="tom")

    event = last_event(client)
    assert (type(event), event.reason, event.by, client.cadence_override) == (
        Client.ClientCadenceOverrideCleared, "back to normal", "tom", None)


def test_clearing_without_an_override_is_refused() -> None:
    client = onboarded()

    assert refusal(NoCadenceOverrideError, lambda: client.clear_cadence_override(reason="r", by="vera")) == (
        "cadence_override", "the client has no cadence override")


def test_clearing_an_override_without_a_reason_is_refused() -> None:
    client = onboarded()
    client.override_cadence(meetings_per_year=6, touches_per_month=3, reason="busy", by="vera")

    assert refusal(InvalidValueError,
                   lambda: client.clear_cadence_override(reason="", by="vera"))[0] == "reason"


def test_a_meeting_preference_records_its_fields_and_is_kept_on_the_client() -> None:
    client = onboarded()

    client.set_meeting_preference(weekday=2, time_of_day="10:30", timezone="Europe/Berlin", by="vera")

    event = last_event(client)
    assert (type(event), event.weekday, event.time_of_day, event.timezone, event.by) == (
        Client.MeetingPreferenceSet, 2, "10:30", "Europe/Berlin", "vera")
    assert client.meeting_preference == MeetingPreference(2, "10:30", "Europe/Berlin")


def test_the_same_meeting_preference_again_is_refused() -> None:
    client = onboarded()
    client.set_meeting_preference(weekday=2, time_of_day="10:30", timezone="UTC", by="vera")

    assert refusal(InvalidValueError, lambda: client.set_meeting_preference(
        weekday=2, time_of_day="10:30", timezone="UTC", by="vera")) == (
        "weekday", "is already the client's meeting preference")


def test_a_meeting_preference_at_a_time_that_is_not_hh_mm_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.set_meeting_preference(
        weekday=2, time_of_day="25:00", timezone="UTC", by="vera"))[0] == "time_of_day"


def test_a_meeting_preference_on_a_weekend_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.set_meeting_preference(
        weekday=6, time_of_day=None, timezone="UTC", by="vera"))[0] == "weekday"


# --- notices -----------------------------------------------------------------------------------

def test_the_notice_keys_say_what_was_noticed() -> None:
    item_id = UUID("00000000-0000-0000-0000-000000000001")

    assert (review_area_notice_key("email", date(2027, 5, 1), True),
            review_area_notice_key("email", None, False),
            action_item_notice_key(item_id, date(2027, 5, 1))) == (
        "overdue:email:2027-05-01", "due:email:never",
        "action-item-overdue:00000000-0000-0000-0000-000000000001:2027-05-01")


def test_an_area_falling_due_records_every_field_once() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=date(2027, 2, 1),
                              due_on=date(2027, 5, 20), overdue=False, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.category, event.frequency_months, event.last_reviewed_on, event.due_on,
            event.noticed_at, event.by) == (
        Client.ReviewAreaFallingDue, "email", 3, date(2027, 2, 1), date(2027, 5, 20), NOTICED_AT, "sched")
    assert client.notices_given == frozenset({"due:email:2027-05-20"})


def test_an_overdue_area_records_an_overdue_notice() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 9), overdue=True, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.due_on, event.last_reviewed_on) == (
        Client.ReviewAreaOverdue, date(2027, 5, 9), None)
    assert client.notices_given == frozenset({"overdue:email:2027-05-09"})


def test_an_area_never_reviewed_may_be_overdue_without_a_due_date() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=None, overdue=True, noticed_at=NOTICED_AT, by="sched")

    assert client.notices_given == frozenset({"overdue:email:never"})


def test_an_area_due_today_is_not_yet_overdue() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.notice_review_area(
        category="email", frequency_months=3, last_reviewed_on=None, due_on=NOTICED_AT.date(),
        overdue=True, noticed_at=NOTICED_AT, by="sched")) == (
        "due_on", "an area is overdue only after its due date")


def test_the_same_area_notice_twice_is_refused_naming_its_key() -> None:
    client = onboarded()
    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 20), overdue=False, noticed_at=NOTICED_AT, by="s")

    assert refusal(NoticeAlreadyGivenError, lambda: client.notice_review_area(
        category="email", frequency_months=3, last_reviewed_on=None, due_on=date(2027, 5, 20),
        overdue=False, noticed_at=NOTICED_AT, by="s")) == ("notice", "already given (due:email:2027-05-20)")


def test_an_overdue_notice_may_follow_the_falling_due_notice_of_the_same_day() -> None:
    client = onboarded()
    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 1), overdue=False, noticed_at=NOTICED_AT, by="s")

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 1), overdue=True, noticed_at=NOTICED_AT, by="s")

    assert client.notices_given == frozenset({"due:email:2027-05-01", "overdue:email:2027-05-01"})


def added_item(client: Client, follow_up_on: date) -> UUID:
    item_id = uuid4()
    client.add_action_item(action_item_id=item_id, meeting_id=None, title="t", owner="tom",
                           next_step="n", follow_up_on=follow_up_on, by="vera")
    return item_id


def test_an_action_item_past_its_follow_up_records_an_overdue_notice_once() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))

    client.notice_overdue_action_item(action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.action_item_id, event.follow_up_on, event.noticed_at, event.by) == (
        Client.ActionItemFellOverdue, item_id, date(2027, 5, 9), NOTICED_AT, "sched")
    assert client.notices_given == frozenset({action_item_notice_key(item_id, date(2027, 5, 9))})


def test_an_action_item_due_today_is_not_overdue() -> None:
    client = onboarded()
    item_id = added_item(client, NOTICED_AT.date())

    assert refusal(InvalidValueError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")) == (
        "action_item_id", "the follow-up date 2027-05-10 has not passed")


def test_an_overdue_notice_for_an_action_item_twice_is_refused() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))
    client.notice_overdue_action_item(action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")

    assert refusal(NoticeAlreadyGivenError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched"))[0] == "notice"


def test_an_overdue_notice_for_a_completed_action_item_is_refused() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))
    client.complete_action_item(action_item_id=item_id, resolution="done", completed_at=NOTICED_AT, by="t")

    assert refusal(ActionItemAlreadyCompletedError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched"))[0] == "action_item_id"
