"""The rules a meeting plan and a cadence keep whoever writes them (cadence state)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from aggregates.cadence_state import (
    CadenceOverride,
    MeetingPreference,
    PlannedMeeting,
    check_cadence,
    check_plan,
    check_preference,
)
from aggregates.errors import (
    InvalidValueError,
)
from events.vocabulary import MeetingKind
from tests.unit.client_steps import meeting, onboarded, planned, refusal

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
