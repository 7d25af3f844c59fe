"""What the Client's touch and feedback commands record, and what they refuse."""

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.errors import InvalidValueError, NotFoundError, UnknownDecisionMakerError
from events.vocabulary import Priority, TouchKind
from tests.unit.client_steps import AT, last_event, onboarded, refusal


def with_decision_maker(client: Client) -> UUID:
    person = uuid4()
    client.add_decision_maker(decision_maker_id=person, title="CFO", sealed_name="n",
                              sealed_email="e", sealed_phone="p", by="vera")
    return person


def proposed(client: Client) -> UUID:
    recommendation_id = uuid4()
    client.propose_recommendation(
        recommendation_id=recommendation_id, title="t", business_impact="b", finding_standard_ids=[],
        one_time_budget=Decimal(0), recurring_monthly_budget=Decimal(0), estimated_hours=Decimal(0),
        target_quarter_start=None, priority=Priority.LOW, owner="vera", capital_expense=False, by="vera")
    return recommendation_id


def feedback(client: Client, accepted: list[UUID], declined: dict[UUID, str]) -> UUID:
    feedback_id = uuid4()
    client.record_feedback(feedback_id=feedback_id, accepted_recommendation_ids=accepted,
                           declined_reasons=declined, changes_requested="faster",
                           new_initiatives=["MFA"], recorded_at=AT, by="vera")
    return feedback_id


def test_a_touch_with_a_decision_maker_records_every_field_and_counts_toward_cadence() -> None:
    client = onboarded()
    person = with_decision_maker(client)
    touch_id = uuid4()

    client.log_touch(touch_id=touch_id, kind="call", decision_maker_id=person,  # type: ignore[arg-type]
                     contact_role="", happened_at=AT, note="budget chat", by="vera")

    event = last_event(client)
    assert (type(event), event.touch_id, event.kind, event.decision_maker_id, event.contact_role,
            event.counts_toward_cadence, event.happened_at, event.note, event.by) == (
        Client.TouchLogged, touch_id, TouchKind.CALL, person, "", True, AT, "budget chat", "vera")


def test_a_touch_with_another_contact_is_recorded_but_does_not_count_toward_cadence() -> None:
    client = onboarded()

    client.log_touch(touch_id=uuid4(), kind=TouchKind.CALL, decision_maker_id=None,
                     contact_role="office manager", happened_at=AT, note="", by="vera")

    event = last_event(client)
    assert (event.decision_maker_id, event.contact_role, event.counts_toward_cadence) == (
        None, "office manager", False)


def test_a_touch_with_neither_a_decision_maker_nor_a_contact_role_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.log_touch(
        touch_id=uuid4(), kind=TouchKind.CALL, decision_maker_id=None, contact_role="  ",
        happened_at=AT, note="", by="vera")) == (
        "contact_role", "give the role of a contact who is not a decision maker")


def test_a_touch_with_someone_who_is_no_decision_maker_is_refused() -> None:
    client = onboarded()

    assert refusal(UnknownDecisionMakerError, lambda: client.log_touch(
        touch_id=uuid4(), kind=TouchKind.CALL, decision_maker_id=uuid4(), contact_role="x",
        happened_at=AT, note="", by="vera"))[0] == "decision_maker_id"


def test_feedback_records_distinct_accepted_ids_declines_by_id_text_and_initiatives() -> None:
    client = onboarded()
    first, second, third = proposed(client), proposed(client), proposed(client)

    feedback_id = feedback(client, [second, first, second], {third: "too dear"})

    event = last_event(client)
    assert (type(event), event.feedback_id, event.accepted_recommendation_ids, event.declined_reasons,
            event.changes_requested, event.new_initiatives, event.recorded_at, event.by) == (
        Client.ClientFeedbackRecorded, feedback_id, [second, first], {str(third): "too dear"},
        "faster", ["MFA"], AT, "vera")


def test_feedback_on_a_recommendation_both_accepted_and_declined_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    assert refusal(InvalidValueError, lambda: feedback(
        client, [recommendation_id], {recommendation_id: "no"})) == (
        "declined_reasons", "a recommendation cannot be both accepted and declined")


@pytest.mark.parametrize("where", ["accepted", "declined"])
def test_feedback_on_an_unknown_recommendation_is_refused(where: str) -> None:
    client = onboarded()
    unknown = uuid4()

    assert refusal(NotFoundError, lambda: feedback(
        client, [unknown] if where == "accepted" else [],
        {unknown: "no"} if where == "declined" else {}))[0] == "recommendation_id"
