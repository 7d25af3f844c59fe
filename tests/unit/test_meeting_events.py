"""What the Client's meeting commands record, and what they refuse."""

from datetime import UTC, datetime
from uuid import uuid4

from aggregates.client import Client
from aggregates.errors import (
    DuplicateIdError,
    InvalidValueError,
    MeetingAlreadyHeldError,
    MeetingCancelledError,
    NotFoundError,
)
from events.vocabulary import MeetingKind, MeetingStatus
from tests.unit.client_steps import MONDAY, cancelled, held, last_event, onboarded, refusal, scheduled

LATER = datetime(2027, 5, 10, 14, tzinfo=UTC)


# --- meetings ----------------------------------------------------------------------------------

def test_scheduling_a_meeting_records_its_kind_time_attendees_and_author() -> None:
    client = onboarded()
    meeting_id = uuid4()

    client.schedule_meeting(meeting_id=meeting_id, kind="technology_business_review",  # type: ignore[arg-type]
                            scheduled_for=MONDAY, attendees=["vera", "tom"], by="vera")

    event = last_event(client)
    assert (type(event), event.meeting_id, event.kind, event.scheduled_for, event.attendees,
            event.by) == (Client.MeetingScheduled, meeting_id, MeetingKind.TECHNOLOGY_BUSINESS_REVIEW,
                          MONDAY, ["vera", "tom"], "vera")


def test_a_scheduled_meeting_is_planned_for_its_time() -> None:
    client = onboarded()

    meeting_id = scheduled(client)

    state = client.meeting(meeting_id)
    assert (state.meeting_id, state.kind, state.scheduled_for, state.status) == (
        meeting_id, MeetingKind.STRATEGY_MEETING, MONDAY, MeetingStatus.PLANNED)


def test_scheduling_a_meeting_under_an_id_in_use_is_refused() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    assert refusal(DuplicateIdError, lambda: client.schedule_meeting(
        meeting_id=meeting_id, kind=MeetingKind.OTHER, scheduled_for=LATER, attendees=[], by="vera")) == (
        "meeting_id", "a meeting with this id exists")


def test_an_unknown_meeting_is_not_found() -> None:
    client = onboarded()

    assert refusal(NotFoundError, lambda: client.meeting(uuid4())) == (
        "meeting_id", "no such meeting for this client")


def test_setting_an_agenda_records_its_items_and_author() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    client.set_meeting_agenda(meeting_id=meeting_id, agenda=["budget", "risks"], by="tom")

    event = last_event(client)
    assert (type(event), event.meeting_id, event.agenda, event.by) == (
        Client.MeetingAgendaSet, meeting_id, ["budget", "risks"], "tom")


def test_setting_the_agenda_of_a_held_meeting_is_refused() -> None:
    client = onboarded()
    meeting_id = held(client)

    assert refusal(MeetingAlreadyHeldError, lambda: client.set_meeting_agenda(
        meeting_id=meeting_id, agenda=["x"], by="tom")) == ("meeting_id", "the meeting was already held")


def test_holding_a_meeting_records_when_the_summary_and_author_and_marks_it_held() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    client.hold_meeting(meeting_id=meeting_id, held_at=LATER, summary="agreed the plan", by="vera")

    event = last_event(client)
    assert (type(event), event.meeting_id, event.held_at, event.summary, event.by) == (
        Client.MeetingHeld, meeting_id, LATER, "agreed the plan", "vera")
    assert client.meeting(meeting_id).status is MeetingStatus.HELD


def test_holding_a_cancelled_meeting_is_refused() -> None:
    client = onboarded()
    meeting_id = cancelled(client)

    assert refusal(MeetingCancelledError, lambda: client.hold_meeting(
        meeting_id=meeting_id, held_at=LATER, summary="s", by="vera")) == (
        "meeting_id", "the meeting was cancelled")


def test_rescheduling_a_meeting_records_the_new_time_and_reason_and_moves_it() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    client.reschedule_meeting(meeting_id=meeting_id, scheduled_for=LATER, reason="clash", by="vera")

    event = last_event(client)
    assert (type(event), event.meeting_id, event.scheduled_for, event.reason, event.by) == (
        Client.MeetingRescheduled, meeting_id, LATER, "clash", "vera")
    assert client.meeting(meeting_id).scheduled_for == LATER


def test_rescheduling_a_meeting_to_its_own_time_is_refused() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    assert refusal(InvalidValueError, lambda: client.reschedule_meeting(
        meeting_id=meeting_id, scheduled_for=MONDAY, reason="x", by="vera")) == (
        "scheduled_for", "is already the meeting's time")


def test_rescheduling_a_held_meeting_is_refused() -> None:
    client = onboarded()
    meeting_id = held(client)

    assert refusal(MeetingAlreadyHeldError, lambda: client.reschedule_meeting(
        meeting_id=meeting_id, scheduled_for=LATER, reason="x", by="vera"))[0] == "meeting_id"


def test_cancelling_a_meeting_records_the_reason_and_author_and_marks_it_cancelled() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    client.cancel_meeting(meeting_id=meeting_id, reason="holiday", by="tom")

    event = last_event(client)
    assert (type(event), event.meeting_id, event.reason, event.by) == (
        Client.MeetingCancelled, meeting_id, "holiday", "tom")
    assert client.meeting(meeting_id).status is MeetingStatus.CANCELLED


def test_cancelling_a_cancelled_meeting_is_refused() -> None:
    client = onboarded()
    meeting_id = cancelled(client)

    assert refusal(MeetingCancelledError, lambda: client.cancel_meeting(
        meeting_id=meeting_id, reason="again", by="tom"))[0] == "meeting_id"


def test_a_cancellation_of_an_active_client_is_not_remembered_for_a_reonboarding() -> None:
    client = onboarded()

    cancelled(client)

    assert client.cancelled_by_offboarding == frozenset()


def test_a_meeting_on_or_after_the_offboarding_day_cancelled_later_is_restored_by_a_reonboarding() -> None:
    client = onboarded()
    client.offboard(effective_on=MONDAY.date(), reason="ended", by="vera")
    on_the_day = cancelled(client, MONDAY.replace(hour=0))
    before = cancelled(client, datetime(2027, 5, 2, 23, tzinfo=UTC))

    assert client.cancelled_by_offboarding == frozenset({on_the_day})
    assert before not in client.cancelled_by_offboarding


def test_a_restored_meeting_is_planned_again() -> None:
    client = onboarded()
    meeting_id = scheduled(client, LATER)
    client.offboard(effective_on=MONDAY.date(), reason="ended", by="vera")

    client.reonboard(reason="back", by="vera", now=MONDAY)

    assert client.meeting(meeting_id).status is MeetingStatus.PLANNED
