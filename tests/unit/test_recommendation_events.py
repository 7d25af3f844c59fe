"""What presenting, deciding, rescheduling and carrying out a recommendation record, and what they refuse."""

from datetime import date
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.errors import (
    InvalidValueError,
    MeetingCancelledError,
    RecommendationAlreadyCompletedError,
    RecommendationAlreadyDecidedError,
    UnknownDecisionMakerError,
)
from events.vocabulary import MeetingKind, RecommendationStatus
from tests.unit.client_steps import AT, Q2, last_event, onboarded, proposed, refusal


def with_decision_maker(client: Client) -> UUID:
    person = uuid4()
    client.add_decision_maker(decision_maker_id=person, title="CFO", sealed_name="n",
                              sealed_email="e", sealed_phone="p", by="vera")
    return person


def approved(client: Client) -> UUID:
    recommendation_id = proposed(client)
    client.approve_recommendation(recommendation_id=recommendation_id,
                                  decision_maker_id=with_decision_maker(client), approved_at=AT, by="vera")
    return recommendation_id


# --- presenting and deciding -------------------------------------------------------------------

def test_presenting_at_a_meeting_records_the_meeting_and_marks_it_presented() -> None:
    client = onboarded()
    recommendation_id = proposed(client)
    meeting_id = uuid4()
    client.schedule_meeting(meeting_id=meeting_id, kind=MeetingKind.STRATEGY_MEETING,
                            scheduled_for=AT, attendees=[], by="vera")

    client.present_recommendation(recommendation_id=recommendation_id, meeting_id=meeting_id, by="vera")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.meeting_id, event.by) == (
        Client.RecommendationPresented, recommendation_id, meeting_id, "vera")
    assert client.recommendation(recommendation_id).status is RecommendationStatus.PRESENTED


def test_presenting_outside_a_meeting_records_no_meeting() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    client.present_recommendation(recommendation_id=recommendation_id, meeting_id=None, by="vera")

    assert last_event(client).meeting_id is None


def test_presenting_at_a_cancelled_meeting_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)
    meeting_id = uuid4()
    client.schedule_meeting(meeting_id=meeting_id, kind=MeetingKind.OTHER, scheduled_for=AT,
                            attendees=[], by="vera")
    client.cancel_meeting(meeting_id=meeting_id, reason="x", by="vera")

    assert refusal(MeetingCancelledError, lambda: client.present_recommendation(
        recommendation_id=recommendation_id, meeting_id=meeting_id, by="vera"))[0] == "meeting_id"


def test_presenting_a_decided_recommendation_is_refused() -> None:
    client = onboarded()
    recommendation_id = approved(client)

    assert refusal(RecommendationAlreadyDecidedError, lambda: client.present_recommendation(
        recommendation_id=recommendation_id, meeting_id=None, by="vera")) == (
        "recommendation_id", "the recommendation is already approved")


def test_approving_records_the_decision_maker_and_time_and_marks_it_approved() -> None:
    client = onboarded()
    recommendation_id = proposed(client)
    person = with_decision_maker(client)

    client.approve_recommendation(recommendation_id=recommendation_id, decision_maker_id=person,
                                  approved_at=AT, by="vera")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.decision_maker_id, event.approved_at,
            event.by) == (Client.RecommendationApproved, recommendation_id, person, AT, "vera")
    state = client.recommendation(recommendation_id)
    assert (state.status, state.decision_maker_id) == (RecommendationStatus.APPROVED, person)


def test_approving_twice_is_refused() -> None:
    client = onboarded()
    recommendation_id = approved(client)

    assert refusal(RecommendationAlreadyDecidedError, lambda: client.approve_recommendation(
        recommendation_id=recommendation_id, decision_maker_id=with_decision_maker(client),
        approved_at=AT, by="vera"))[0] == "recommendation_id"


def test_approving_by_someone_who_is_no_decision_maker_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    assert refusal(UnknownDecisionMakerError, lambda: client.approve_recommendation(
        recommendation_id=recommendation_id, decision_maker_id=uuid4(), approved_at=AT, by="vera")) == (
        "decision_maker_id", "is not a current decision maker of this client")


def test_declining_records_the_decision_maker_and_reason_and_marks_it_declined() -> None:
    client = onboarded()
    recommendation_id = proposed(client)
    person = with_decision_maker(client)

    client.decline_recommendation(recommendation_id=recommendation_id, decision_maker_id=person,
                                  reason="no budget", by="vera")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.decision_maker_id, event.reason, event.by) == (
        Client.RecommendationDeclined, recommendation_id, person, "no budget", "vera")
    state = client.recommendation(recommendation_id)
    assert (state.status, state.decision_maker_id) == (RecommendationStatus.DECLINED, person)


def test_declining_a_decided_recommendation_is_refused() -> None:
    client = onboarded()
    recommendation_id = approved(client)

    assert refusal(RecommendationAlreadyDecidedError, lambda: client.decline_recommendation(
        recommendation_id=recommendation_id, decision_maker_id=with_decision_maker(client),
        reason="x", by="vera"))[0] == "recommendation_id"


def test_declining_by_someone_who_is_no_decision_maker_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    assert refusal(UnknownDecisionMakerError, lambda: client.decline_recommendation(
        recommendation_id=recommendation_id, decision_maker_id=uuid4(), reason="x", by="vera"))[0] == (
        "decision_maker_id")


def test_an_unknown_recommendation_is_not_found() -> None:
    client = onboarded()

    with pytest.raises(Exception) as raised:
        client.recommendation(uuid4())

    assert (type(raised.value).__name__, raised.value.field, raised.value.reason) == (  # type: ignore[attr-defined]
        "NotFoundError", "recommendation_id", "no such recommendation")


# --- rescheduling and carrying out -------------------------------------------------------------

def test_rescheduling_records_the_new_quarter_and_reason_and_moves_it() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    client.reschedule_recommendation(recommendation_id=recommendation_id,
                                     target_quarter_start=date(2027, 7, 1), reason="budget", by="vera")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.target_quarter_start, event.reason, event.by) == (
        Client.RecommendationRescheduled, recommendation_id, date(2027, 7, 1), "budget", "vera")
    assert client.recommendation(recommendation_id).target_quarter_start == date(2027, 7, 1)


def test_rescheduling_to_no_quarter_is_accepted() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    client.reschedule_recommendation(recommendation_id=recommendation_id, target_quarter_start=None,
                                     reason="later", by="vera")

    assert client.recommendation(recommendation_id).target_quarter_start is None


def test_rescheduling_to_the_same_quarter_is_refused() -> None:
    client = onboarded()
    recommendation_id = proposed(client)

    assert refusal(InvalidValueError, lambda: client.reschedule_recommendation(
        recommendation_id=recommendation_id, target_quarter_start=Q2, reason="x", by="vera")) == (
        "target_quarter_start", "is already the target quarter")


def test_rescheduling_into_a_day_that_starts_no_fiscal_quarter_is_refused() -> None:
    client = onboarded(fiscal_year_start_month=2)
    recommendation_id = proposed(client, target_quarter_start=date(2027, 5, 1))

    assert refusal(InvalidValueError, lambda: client.reschedule_recommendation(
        recommendation_id=recommendation_id, target_quarter_start=date(2027, 7, 1), reason="x",
        by="vera"))[0] == "target_quarter_start"


def test_rescheduling_in_the_clients_fiscal_year_is_accepted() -> None:
    client = onboarded(fiscal_year_start_month=2)
    recommendation_id = proposed(client, target_quarter_start=date(2027, 5, 1))

    client.reschedule_recommendation(recommendation_id=recommendation_id,
                                     target_quarter_start=date(2027, 8, 1), reason="x", by="vera")

    assert client.recommendation(recommendation_id).target_quarter_start == date(2027, 8, 1)


def test_starting_records_the_time_and_marks_it_in_progress() -> None:
    client = onboarded()
    recommendation_id = approved(client)

    client.start_recommendation(recommendation_id=recommendation_id, started_at=AT, by="tom")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.started_at, event.by) == (
        Client.RecommendationStarted, recommendation_id, AT, "tom")
    assert client.recommendation(recommendation_id).status is RecommendationStatus.IN_PROGRESS


def test_completing_records_the_time_and_marks_it_completed() -> None:
    client = onboarded()
    recommendation_id = approved(client)
    client.start_recommendation(recommendation_id=recommendation_id, started_at=AT, by="tom")

    client.complete_recommendation(recommendation_id=recommendation_id, completed_at=AT, by="tom")

    event = last_event(client)
    assert (type(event), event.recommendation_id, event.completed_at, event.by) == (
        Client.RecommendationCompleted, recommendation_id, AT, "tom")
    assert client.recommendation(recommendation_id).status is RecommendationStatus.COMPLETED


def test_rescheduling_a_completed_recommendation_is_refused() -> None:
    client = onboarded()
    recommendation_id = approved(client)
    client.start_recommendation(recommendation_id=recommendation_id, started_at=AT, by="tom")
    client.complete_recommendation(recommendation_id=recommendation_id, completed_at=AT, by="tom")

    assert refusal(RecommendationAlreadyCompletedError, lambda: client.reschedule_recommendation(
        recommendation_id=recommendation_id, target_quarter_start=None, reason="x", by="vera")) == (
        "recommendation_id", "the recommendation is already completed")
