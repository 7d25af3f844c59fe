"""What each recommendation command records through the bus: the handler's share (the values
passed on, times defaulting to the call's, the expected version, the idempotency key); the
aggregate's rules are pinned in test_strategy_domain.py."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from aggregates.client import Client
from commands.base import Command
from commands.clients import AddDecisionMaker
from commands.meetings import ScheduleMeeting
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    PresentRecommendation,
    ProposeRecommendation,
    RescheduleRecommendation,
    StartRecommendation,
)
from events.vocabulary import Answer, MeetingKind, Priority
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
AT = datetime(2027, 1, 28, 16, 0, tzinfo=UTC)


def proposal(client_id: UUID, **fields: object) -> ProposeRecommendation:
    values: dict[str, object] = {"client_id": client_id, "title": "Replace the firewall",
                                 "owner": "vera.vcio"}
    values.update(fields)
    return ProposeRecommendation(**values)


def proposed(scenario: Scenario) -> tuple[UUID, UUID, UUID]:
    """(client, recommendation, decision maker)"""
    client_id = scenario.client()
    person = scenario.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner"), scenario.vcio, NOW)
    result = scenario.bus.handle(proposal(client_id), scenario.vcio, NOW)
    assert result.created_id is not None and person.created_id is not None
    return client_id, result.created_id, person.created_id


def approved(scenario: Scenario) -> tuple[UUID, UUID]:
    client_id, recommendation_id, person_id = proposed(scenario)
    scenario.bus.handle(ApproveRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                              decision_maker_id=person_id), scenario.vcio, NOW)
    return client_id, recommendation_id


def test_a_proposal_records_every_value_the_new_id_and_the_author(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.completed_review(client_id, {standard_id: Answer.NO})

    result = scenario.bus.handle(proposal(
        client_id, business_impact="Open to attack.", finding_standard_ids=[standard_id],
        one_time_budget=Decimal("4200.00"), recurring_monthly_budget=Decimal("35.50"),
        estimated_hours=Decimal("6.5"), target_quarter_start=date(2027, 4, 1), priority=Priority.HIGH,
        capital_expense=True), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationProposed)
    assert (event.recommendation_id, event.title, event.business_impact, event.source_review_id,
            event.finding_standard_ids, event.one_time_budget, event.recurring_monthly_budget,
            event.estimated_hours, event.target_quarter_start, event.priority, event.owner,
            event.capital_expense, event.by) == (
        result.created_id, "Replace the firewall", "Open to attack.", review_id, [standard_id],
        Decimal("4200.00"), Decimal("35.50"), Decimal("6.5"), date(2027, 4, 1), Priority.HIGH, "vera.vcio",
        True, "vera.vcio")


def test_a_proposal_under_an_idempotency_key_gets_the_id_derived_from_that_key(scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(proposal(client_id), scenario.vcio, NOW, "propose-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "propose-1", "recommendation")


def test_presenting_at_a_meeting_records_the_meeting_and_the_author(scenario: Scenario) -> None:
    client_id, recommendation_id, _ = proposed(scenario)
    meeting = scenario.bus.handle(ScheduleMeeting(
        client_id=client_id, kind=MeetingKind.TECHNOLOGY_BUSINESS_REVIEW,
        scheduled_for=NOW + timedelta(days=9)), scenario.vcio, NOW)

    scenario.bus.handle(PresentRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                              meeting_id=meeting.created_id), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationPresented)
    assert (event.recommendation_id, event.meeting_id, event.by) == (
        recommendation_id, meeting.created_id, "vera.vcio")


def test_an_approval_records_the_decision_maker_the_time_given_and_the_author(scenario: Scenario) -> None:
    client_id, recommendation_id, person_id = proposed(scenario)

    scenario.bus.handle(ApproveRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                              decision_maker_id=person_id, approved_at=AT),
                        scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationApproved)
    assert (event.recommendation_id, event.decision_maker_id, event.approved_at, event.by) == (
        recommendation_id, person_id, AT, "vera.vcio")


def test_an_approval_without_a_time_is_approved_at_the_time_of_the_call(scenario: Scenario) -> None:
    client_id, _ = approved(scenario)

    [event] = recorded(scenario, client_id, Client.RecommendationApproved)
    assert event.approved_at == NOW


def test_a_decline_records_the_decision_maker_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id, recommendation_id, person_id = proposed(scenario)

    scenario.bus.handle(DeclineRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                              decision_maker_id=person_id, reason="no budget"),
                        scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationDeclined)
    assert (event.recommendation_id, event.decision_maker_id, event.reason, event.by) == (
        recommendation_id, person_id, "no budget", "vera.vcio")


def test_a_reschedule_records_the_new_quarter_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id, recommendation_id, _ = proposed(scenario)

    scenario.bus.handle(RescheduleRecommendation(
        client_id=client_id, recommendation_id=recommendation_id, target_quarter_start=date(2027, 10, 1),
        reason="after the move"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationRescheduled)
    assert (event.recommendation_id, event.target_quarter_start, event.reason, event.by) == (
        recommendation_id, date(2027, 10, 1), "after the move", "vera.vcio")


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_a_start_records_the_time_given_or_the_time_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id, recommendation_id = approved(scenario)

    scenario.bus.handle(StartRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                            started_at=given), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationStarted)
    assert (event.recommendation_id, event.started_at, event.by) == (recommendation_id, expected, "vera.vcio")


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_a_completion_records_the_time_given_or_the_time_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id, recommendation_id = approved(scenario)
    scenario.bus.handle(StartRecommendation(client_id=client_id, recommendation_id=recommendation_id),
                        scenario.vcio, NOW)

    scenario.bus.handle(CompleteRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                               completed_at=given), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.RecommendationCompleted)
    assert (event.recommendation_id, event.completed_at, event.by) == (
        recommendation_id, expected, "vera.vcio")


def undecided(scenario: Scenario, stale: bool) -> list[Command]:
    client_id, recommendation_id, person_id = proposed(scenario)
    at = version(scenario, client_id) - 1 if stale else None
    ids = {"client_id": client_id, "recommendation_id": recommendation_id, "expected_version": at}
    return [proposal(client_id, expected_version=at),
            PresentRecommendation(**ids),
            ApproveRecommendation(**ids, decision_maker_id=person_id),
            DeclineRecommendation(**ids, decision_maker_id=person_id, reason="no budget"),
            RescheduleRecommendation(**ids, target_quarter_start=date(2027, 7, 1))]


def under_way(scenario: Scenario, stale: bool) -> list[Command]:
    client_id, recommendation_id = approved(scenario)
    at = version(scenario, client_id) - 1 if stale else None
    start = StartRecommendation(client_id=client_id, recommendation_id=recommendation_id, expected_version=at)
    if stale:
        return [start, CompleteRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                              expected_version=at)]
    scenario.bus.handle(start, scenario.vcio, NOW)
    return [StartRecommendation(client_id=client_id, recommendation_id=recommendation_id),
            CompleteRecommendation(client_id=client_id, recommendation_id=recommendation_id)]


CASES = [(undecided, n) for n in range(5)] + [(under_way, 0), (under_way, 1)]


@pytest.mark.parametrize(("arrange", "position"), CASES)
def test_every_recommendation_command_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, arrange: object, position: int) -> None:
    command = arrange(scenario, True)[position]

    assert refused_as_stale(scenario, command, NOW).field == "expected_version"


@pytest.mark.parametrize(("arrange", "position"), [*CASES[:5], (under_way, 1)])
def test_every_recommendation_command_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, arrange: object, position: int) -> None:
    command = arrange(scenario, False)[position]

    assert replayed_without_recording(scenario, command, NOW)


def test_a_start_sent_again_under_its_idempotency_key_records_nothing_more(scenario: Scenario) -> None:
    client_id, recommendation_id = approved(scenario)

    assert replayed_without_recording(
        scenario, StartRecommendation(client_id=client_id, recommendation_id=recommendation_id), NOW)
