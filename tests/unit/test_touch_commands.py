"""What the touch and feedback commands record through the bus: the handler's share (the values
passed on, new ids, times defaulting to the call's, the expected version, the idempotency key);
the aggregate's rules are pinned in test_strategy_domain.py."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from aggregates.client import Client
from commands.base import Command
from commands.clients import AddDecisionMaker
from commands.recommendations import ProposeRecommendation
from commands.touches import LogTouch, RecordClientFeedback
from events.vocabulary import TouchKind
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 5, 10, 12, 0, tzinfo=UTC)
AT = datetime(2027, 5, 9, 17, 30, tzinfo=UTC)


def with_person(scenario: Scenario) -> tuple[UUID, UUID]:
    client_id = scenario.client()
    person_id = scenario.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner"), scenario.vcio,
                                    NOW).created_id
    assert person_id is not None
    return client_id, person_id


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_a_touch_with_a_decision_maker_records_it_the_time_given_or_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id, person_id = with_person(scenario)

    touch_id = scenario.bus.handle(LogTouch(client_id=client_id, kind=TouchKind.VISIT,
                                            decision_maker_id=person_id, happened_at=given, note="coffee"),
                                   scenario.vcio, NOW).created_id

    [event] = recorded(scenario, client_id, Client.TouchLogged)
    assert (event.touch_id, event.kind, event.decision_maker_id, event.contact_role,
            event.counts_toward_cadence, event.happened_at, event.note, event.by) == (
        touch_id, TouchKind.VISIT, person_id, "", True, expected, "coffee", "vera.vcio")


def test_a_touch_with_a_role_records_the_role(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(LogTouch(client_id=client_id, kind=TouchKind.CALL, contact_role="office manager"),
                        scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.TouchLogged)
    assert (event.decision_maker_id, event.contact_role, event.counts_toward_cadence) == (
        None, "office manager", False)


def test_a_touch_under_an_idempotency_key_gets_the_id_derived_from_that_key(scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(LogTouch(client_id=client_id, kind=TouchKind.CALL, contact_role="reception"),
                                 scenario.vcio, NOW, "touch-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "touch-1", "touch")


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_feedback_records_every_answer_the_time_given_or_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id = scenario.client()
    accepted, declined = (scenario.bus.handle(ProposeRecommendation(
        client_id=client_id, title=title, owner="vera.vcio"), scenario.vcio, NOW).created_id
        for title in ("Firewall", "Backups"))

    feedback_id = scenario.bus.handle(RecordClientFeedback(
        client_id=client_id, accepted_recommendation_ids=[accepted], declined_reasons={declined: "too dear"},
        changes_requested="phase it", new_initiatives=["move office"], recorded_at=given),
        scenario.vcio, NOW).created_id

    [event] = recorded(scenario, client_id, Client.ClientFeedbackRecorded)
    assert (event.feedback_id, event.accepted_recommendation_ids, event.declined_reasons,
            event.changes_requested, event.new_initiatives, event.recorded_at, event.by) == (
        feedback_id, [accepted], {str(declined): "too dear"}, "phase it", ["move office"], expected,
        "vera.vcio")


def test_feedback_under_an_idempotency_key_gets_the_id_derived_from_that_key(scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(RecordClientFeedback(client_id=client_id, changes_requested="faster"),
                                 scenario.vcio, NOW, "feedback-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "feedback-1", "feedback")


def commands(scenario: Scenario, stale: bool) -> list[Command]:
    client_id, person_id = with_person(scenario)
    at = version(scenario, client_id) - 1 if stale else None
    return [LogTouch(client_id=client_id, kind=TouchKind.EMAIL, decision_maker_id=person_id,
                     expected_version=at),
            RecordClientFeedback(client_id=client_id, changes_requested="faster", expected_version=at)]


@pytest.mark.parametrize("position", range(2))
def test_a_touch_or_feedback_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, commands(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(2))
def test_a_touch_or_feedback_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, commands(scenario, False)[position], NOW)
