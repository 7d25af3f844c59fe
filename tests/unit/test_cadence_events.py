"""What the Client's annual-plan, cadence-override and meeting-preference commands record and refuse."""

from datetime import UTC, date, datetime

import pytest

from aggregates.cadence_state import (
    CadenceOverride,
    MeetingPreference,
)
from aggregates.client import Client
from aggregates.errors import (
    ClientOffboardedError,
    DuplicateIdError,
    InvalidValueError,
    MeetingPlanAlreadyScheduledError,
    NoCadenceOverrideError,
)
from tests.unit.client_steps import PLANNED_AS_OF, last_event, meeting, onboarded, planned, refusal

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
