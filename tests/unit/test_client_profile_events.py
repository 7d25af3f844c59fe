"""What the Client's profile, decision-maker and offboarding commands record, and what they refuse."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.client_profile import check_profile_value
from aggregates.errors import (
    ClientNotOffboardedError,
    ClientOffboardedError,
    InvalidValueError,
    PersonAlreadyErasedError,
    UnknownDecisionMakerError,
)
from events.vocabulary import MeetingKind, MeetingStatus

OFFBOARDED_ON = date(2027, 4, 1)
MIDNIGHT = datetime(2027, 4, 1, tzinfo=UTC)


def onboarded() -> Client:
    return Client(tenant="msp-1", name="Acme", mrr=Decimal("3000.00"), user_count=24, complexity=5,
                  industry="legal", fiscal_year_start_month=1, vcio="vera", tam="tom", by="vera")


def last_event(client: Client) -> Any:
    return client.pending_events[-1]


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


def refusal(error: type[Exception], act: Any) -> tuple[str, str]:
    with pytest.raises(error) as raised:
        act()
    return raised.value.field, raised.value.reason  # type: ignore[attr-defined]


# --- profile values ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value", "plain"), [
    ("mrr", Decimal("0"), "0"), ("mrr", "2500.50", "2500.50"), ("complexity", "1", 1),
    ("complexity", 10, 10), ("fiscal_year_start_month", 1, 1), ("fiscal_year_start_month", "12", 12),
    ("user_count", "0", 0), ("industry", "retail", "retail"), ("name", " Acme ", " Acme "),
])
def test_a_profile_value_at_the_edge_of_its_range_is_accepted_in_its_plain_form(
        name: str, value: Any, plain: Any) -> None:
    assert check_profile_value(name, value) == plain


def test_a_numeric_profile_value_is_returned_as_an_int_not_as_text() -> None:
    assert type(check_profile_value("user_count", "7")) is int


@pytest.mark.parametrize(("name", "value", "reason"), [
    ("mrr", Decimal("-0.01"), "must not be negative"),
    ("complexity", 0, "must be between 1 and 10"),
    ("complexity", 11, "must be between 1 and 10"),
    ("fiscal_year_start_month", 0, "must be a month number 1-12"),
    ("fiscal_year_start_month", 13, "must be a month number 1-12"),
    ("user_count", -1, "must not be negative"),
    ("industry", "  ", "must be non-empty text"),
    ("vcio", 7, "must be non-empty text"),
])
def test_a_profile_value_out_of_range_is_refused_naming_the_field_and_the_rule(
        name: str, value: Any, reason: str) -> None:
    assert refusal(InvalidValueError, lambda: check_profile_value(name, value)) == (name, reason)


def test_a_name_that_is_no_profile_field_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: check_profile_value("colour", "red")) == (
        "colour", "is not a profile field of a client")


# --- changing the profile ----------------------------------------------------------------------

def test_a_profile_change_records_only_the_fields_that_differ_with_its_day_and_author() -> None:
    client = onboarded()

    client.change_profile(changes={"name": "Acme", "mrr": "3500", "complexity": 7},
                          by="vera", effective_on=date(2027, 2, 1))

    event = last_event(client)
    assert (type(event), event.changes, event.effective_on, event.by) == (
        Client.ClientProfileChanged, {"mrr": "3500", "complexity": 7}, date(2027, 2, 1), "vera")


def test_a_profile_change_without_a_day_records_none_for_the_day() -> None:
    client = onboarded()

    client.change_profile(changes={"tam": "tina"}, by="vera")

    assert last_event(client).effective_on is None


def test_a_profile_change_leaves_the_new_values_on_the_client_with_mrr_as_a_decimal() -> None:
    client = onboarded()

    client.change_profile(changes={"mrr": "3500.25", "industry": "retail"}, by="vera")

    assert (client.mrr, type(client.mrr), client.industry) == (Decimal("3500.25"), Decimal, "retail")


def test_a_profile_change_that_changes_nothing_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.change_profile(
        changes={"mrr": Decimal("3000.00"), "user_count": 24}, by="vera")) == (
        "changes", "no profile field differs from the current profile")


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


def test_an_onboarded_client_holds_its_profile_and_nothing_else_yet() -> None:
    client = onboarded()

    assert (client.tenant, client.name, client.mrr, type(client.mrr), client.user_count, client.complexity,
            client.industry, client.fiscal_year_start_month, client.vcio, client.tam) == (
        "msp-1", "Acme", Decimal("3000.00"), Decimal, 24, 5, "legal", 1, "vera", "tom")
    assert (client.decision_makers, client.reviews, client.review_order, client.recommendations,
            client.meetings, client.action_items) == (set(), {}, [], {}, {}, {})


def test_onboarding_records_every_profile_field_and_its_author() -> None:
    client = onboarded()

    event = client.pending_events[0]
    assert (type(event), event.tenant, event.name, event.mrr, event.user_count, event.complexity,
            event.industry, event.fiscal_year_start_month, event.vcio, event.tam, event.by) == (
        Client.ClientOnboarded, "msp-1", "Acme", Decimal("3000.00"), 24, 5, "legal", 1, "vera", "tom",
        "vera")
