"""What the Client's decision-maker, offboarding and re-onboarding commands record and refuse."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from aggregates.client import Client
from aggregates.errors import (
    ClientNotOffboardedError,
    ClientOffboardedError,
    InvalidValueError,
    PersonAlreadyErasedError,
    UnknownDecisionMakerError,
)
from events.vocabulary import MeetingKind, MeetingStatus
from tests.unit.client_steps import last_event, onboarded, refusal

OFFBOARDED_ON = date(2027, 4, 1)
MIDNIGHT = datetime(2027, 4, 1, tzinfo=UTC)


def with_decision_maker(client: Client) -> UUID:
    person = uuid4()
    client.add_decision_maker(decision_maker_id=person, title="CFO", sealed_name="n",
                              sealed_email="e", sealed_phone="p", by="vera")
    return person


def scheduled(client: Client, when: datetime) -> UUID:
    meeting_id = uuid4()
    client.schedule_meeting(meeting_id=meeting_id, kind=MeetingKind.STRATEGY_MEETING, scheduled_for=when,
                            attendees=[], by="vera")
    return meeting_id


# --- decision makers ---------------------------------------------------------------------------

def test_adding_a_decision_maker_records_the_sealed_details_and_makes_them_current() -> None:
    client = onboarded()

    person = with_decision_maker(client)

    event = last_event(client)
    assert (event.decision_maker_id, event.title, event.sealed_name, event.sealed_email,
            event.sealed_phone, event.by) == (person, "CFO", "n", "e", "p", "vera")
    assert (client.decision_makers, client.people_ever) == ({person}, frozenset({person}))


def test_removing_a_decision_maker_records_the_reason_and_leaves_them_erasable() -> None:
    client = onboarded()
    person = with_decision_maker(client)

    client.remove_decision_maker(decision_maker_id=person, reason="left the company", by="vera")

    event = last_event(client)
    assert (type(event), event.decision_maker_id, event.reason, event.by) == (
        Client.DecisionMakerRemoved, person, "left the company", "vera")
    assert (client.decision_makers, client.people_ever) == (set(), frozenset({person}))


def test_removing_someone_who_is_no_decision_maker_is_refused() -> None:
    client = onboarded()

    assert refusal(UnknownDecisionMakerError, lambda: client.remove_decision_maker(
        decision_maker_id=uuid4(), reason="x", by="vera")) == (
        "decision_maker_id", "is not a current decision maker of this client")


def test_the_decision_maker_check_names_the_field_it_is_given() -> None:
    client = onboarded()

    assert refusal(UnknownDecisionMakerError, lambda: client.check_is_decision_maker(
        uuid4(), "approved_by"))[0] == "approved_by"


def test_erasing_a_removed_decision_maker_records_the_erasure_once() -> None:
    client = onboarded()
    person = with_decision_maker(client)
    client.remove_decision_maker(decision_maker_id=person, reason="left", by="vera")

    client.erase_decision_maker(decision_maker_id=person, reason="asked to be forgotten", by="ada")

    event = last_event(client)
    assert (type(event), event.decision_maker_id, event.reason, event.by) == (
        Client.DecisionMakerErased, person, "asked to be forgotten", "ada")
    assert client.people_erased == frozenset({person})


def test_erasing_someone_never_a_decision_maker_is_refused() -> None:
    client = onboarded()

    assert refusal(UnknownDecisionMakerError, lambda: client.erase_decision_maker(
        decision_maker_id=uuid4(), reason="x", by="ada")) == (
        "decision_maker_id", "was never a decision maker of this client")


def test_erasing_the_same_person_twice_is_refused() -> None:
    client = onboarded()
    person = with_decision_maker(client)
    client.erase_decision_maker(decision_maker_id=person, reason="asked", by="ada")

    assert refusal(PersonAlreadyErasedError, lambda: client.erase_decision_maker(
        decision_maker_id=person, reason="again", by="ada")) == (
        "decision_maker_id", "this person's personal data is already erased")


# --- offboarding and re-onboarding -------------------------------------------------------------

def test_offboarding_records_its_day_reason_and_author_and_marks_the_client() -> None:
    client = onboarded()

    client.offboard(effective_on=OFFBOARDED_ON, reason="contract ended", by="vera")

    event = last_event(client)
    assert (type(event), event.effective_on, event.reason, event.by) == (
        Client.ClientOffboarded, OFFBOARDED_ON, "contract ended", "vera")
    assert client.offboarded_on == OFFBOARDED_ON


def test_offboarding_without_a_reason_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.offboard(
        effective_on=OFFBOARDED_ON, reason=" ", by="vera")) == (
        "reason", "must say why the client leaves")


def test_offboarding_an_offboarded_client_is_refused_naming_the_day() -> None:
    client = onboarded()
    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    assert refusal(ClientOffboardedError, lambda: client.offboard(
        effective_on=OFFBOARDED_ON, reason="again", by="vera")) == (
        "client_id", "the client was offboarded effective 2027-04-01")


def test_offboarding_cancels_planned_meetings_from_its_day_in_date_order_with_the_reason() -> None:
    client = onboarded()
    later = scheduled(client, datetime(2027, 6, 1, 9, tzinfo=UTC))
    at_midnight = scheduled(client, MIDNIGHT)
    before = scheduled(client, datetime(2027, 3, 31, 23, 59, tzinfo=UTC))

    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    cancelled = [e for e in client.pending_events if isinstance(e, Client.MeetingCancelled)]
    assert [(e.meeting_id, e.reason, e.by) for e in cancelled] == [
        (at_midnight, "client offboarded: ended", "vera"), (later, "client offboarded: ended", "vera")]
    assert client.meetings[before].status is MeetingStatus.PLANNED


def test_offboarding_leaves_a_held_meeting_after_its_day_as_history() -> None:
    client = onboarded()
    held = scheduled(client, datetime(2027, 6, 1, 9, tzinfo=UTC))
    client.hold_meeting(meeting_id=held, held_at=datetime(2027, 6, 1, 10, tzinfo=UTC), summary="s",
                        by="vera")

    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    assert client.meetings[held].status is MeetingStatus.HELD


def test_reonboarding_an_active_client_is_refused() -> None:
    client = onboarded()

    assert refusal(ClientNotOffboardedError, lambda: client.reonboard(
        reason="back", by="vera", now=MIDNIGHT)) == ("client_id", "the client is active (not offboarded)")


def test_reonboarding_records_its_reason_and_author_and_makes_the_client_active() -> None:
    client = onboarded()
    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    client.reonboard(reason="signed again", by="ada", now=MIDNIGHT)

    event = last_event(client)
    assert (type(event), event.reason, event.by, client.offboarded_on,
            client.cancelled_by_offboarding) == (
        Client.ClientReonboarded, "signed again", "ada", None, frozenset())


def test_reonboarding_restores_the_cancelled_meetings_still_ahead_in_date_order() -> None:
    client = onboarded()
    june = scheduled(client, datetime(2027, 6, 1, 9, tzinfo=UTC))
    may = scheduled(client, datetime(2027, 5, 1, 9, tzinfo=UTC))
    april = scheduled(client, datetime(2027, 4, 10, 9, tzinfo=UTC))
    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    client.reonboard(reason="signed again", by="ada", now=datetime(2027, 4, 10, 9, tzinfo=UTC))

    restored = [e for e in client.pending_events if isinstance(e, Client.MeetingRestored)]
    assert [(e.meeting_id, e.reason, e.by) for e in restored] == [
        (may, "client re-onboarded: signed again", "ada"),
        (june, "client re-onboarded: signed again", "ada")]
    assert (client.meetings[april].status, client.meetings[may].status) == (
        MeetingStatus.CANCELLED, MeetingStatus.PLANNED)


def test_reonboarding_without_a_reason_restores_meetings_with_a_plain_reason() -> None:
    client = onboarded()
    scheduled(client, datetime(2027, 6, 1, 9, tzinfo=UTC))
    client.offboard(effective_on=OFFBOARDED_ON, reason="ended", by="vera")

    client.reonboard(reason="", by="ada", now=MIDNIGHT)

    restored = [e for e in client.pending_events if isinstance(e, Client.MeetingRestored)]
    assert [e.reason for e in restored] == ["client re-onboarded"]
