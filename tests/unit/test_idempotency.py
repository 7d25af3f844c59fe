"""A command sent again with the same idempotency key answers the first result, once."""

from uuid import UUID

import pytest

from aggregates.errors import AnswerToUnpublishedStandardError
from commands.clients import OnboardClient
from commands.ledger import IdempotencyKeyReusedError
from commands.results import CommandResult
from commands.reviews import RecordAnswer, StartReview
from events.vocabulary import Answer
from tests.unit.scenario import Scenario


def recorded(scenario: Scenario) -> int:
    return scenario.ledger.recorder.max_notification_id() or 0


def outcome(result: CommandResult) -> tuple[UUID, int, int | None, UUID | None]:
    return result.aggregate_id, result.version, result.position, result.created_id


def onboarding() -> OnboardClient:
    return OnboardClient(name="Client B", mrr="6500.00", user_count=52, complexity=3,
                         industry="manufacturing", vcio="vera.vcio", tam="tom.tam")


def test_a_repeated_onboarding_answers_the_first_result(scenario: Scenario) -> None:
    first = scenario.bus.handle(onboarding(), scenario.vcio, idempotency_key="onboard-b")

    again = scenario.bus.handle(onboarding(), scenario.vcio, idempotency_key="onboard-b")

    assert outcome(again) == outcome(first)
    assert again.replayed


def test_a_repeated_onboarding_records_nothing_new(scenario: Scenario) -> None:
    scenario.bus.handle(onboarding(), scenario.vcio, idempotency_key="onboard-b")
    before = recorded(scenario)

    scenario.bus.handle(onboarding(), scenario.vcio, idempotency_key="onboard-b")

    assert recorded(scenario) == before


def test_a_repeated_review_start_names_the_same_review(scenario: Scenario) -> None:
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    command = StartReview(client_id=client)
    first = scenario.bus.handle(command, scenario.tam, scenario.tick(), "start-1")

    again = scenario.bus.handle(command, scenario.tam, scenario.tick(), "start-1")

    assert again.created_id == first.created_id
    assert outcome(again) == outcome(first)


def test_a_repeated_answer_records_nothing_new(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    command = RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                           answer=Answer.NO, note="firmware from 2019")
    first = scenario.bus.handle(command, scenario.tam, scenario.tick(), "answer-1")
    before = recorded(scenario)

    again = scenario.bus.handle(command, scenario.tam, scenario.tick(), "answer-1")

    assert outcome(again) == outcome(first)
    assert recorded(scenario) == before


def test_a_key_reused_for_a_different_command_is_refused(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.bus.handle(RecordAnswer(
        client_id=client, review_id=review, standard_id=standard, answer=Answer.NO),
        scenario.tam, scenario.tick(), "answer-1")
    before = recorded(scenario)

    with pytest.raises(IdempotencyKeyReusedError) as refused:
        scenario.bus.handle(RecordAnswer(
            client_id=client, review_id=review, standard_id=standard, answer=Answer.YES),
            scenario.tam, scenario.tick(), "answer-1")

    assert refused.value.field == "Idempotency-Key"
    assert recorded(scenario) == before


def test_the_same_key_in_another_tenant_is_a_different_command(scenario: Scenario) -> None:
    other = Scenario(scenario.bus, f"{scenario.tenant}-other")
    first = scenario.bus.handle(onboarding(), scenario.vcio, idempotency_key="onboard-b")

    theirs = scenario.bus.handle(onboarding(), other.vcio, idempotency_key="onboard-b")

    assert not theirs.replayed
    assert theirs.aggregate_id != first.aggregate_id


def test_a_retry_carrying_its_original_expected_version_replays_instead_of_conflicting(
        scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    command = RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                           answer=Answer.YES, expected_version=2)
    first = scenario.bus.handle(command, scenario.tam, scenario.tick(), "answer-1")

    again = scenario.bus.handle(command, scenario.tam, scenario.tick(), "answer-1")

    assert outcome(again) == outcome(first)


def test_a_rejected_command_leaves_its_key_free_for_the_next_command(
        scenario: Scenario) -> None:
    draft = scenario.standard(publish=False)
    published = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    with pytest.raises(AnswerToUnpublishedStandardError):
        scenario.bus.handle(RecordAnswer(
            client_id=client, review_id=review, standard_id=draft, answer=Answer.YES),
            scenario.tam, scenario.tick(), "answer-1")

    result = scenario.bus.handle(RecordAnswer(
        client_id=client, review_id=review, standard_id=published, answer=Answer.YES),
        scenario.tam, scenario.tick(), "answer-1")

    assert not result.replayed
