"""A rejected command records no event, and its error names the field and the reason."""

import pytest
from pydantic import ValidationError

from aggregates.errors import (
    AnswerToUnpublishedStandardError,
    ConflictError,
    NotFoundError,
    ReviewAlreadyCompletedError,
)
from commands.clients import ChangeClientProfile, OnboardClient
from commands.results import Actor
from commands.reviews import AnswerInput, RecordAnswers
from events.vocabulary import Answer
from tests.unit.scenario import Scenario


def recorded(scenario: Scenario) -> int:
    return scenario.ledger.recorder.max_notification_id() or 0


def test_a_command_refused_by_a_rule_records_no_event(scenario: Scenario) -> None:
    draft = scenario.standard(publish=False)
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)
    before = recorded(scenario)

    with pytest.raises(AnswerToUnpublishedStandardError):
        scenario.answer(client, review, draft, Answer.YES)

    assert recorded(scenario) == before


def test_a_batch_with_one_bad_answer_records_none_of_its_answers(scenario: Scenario) -> None:
    good = scenario.standard()
    draft = scenario.standard(publish=False)
    client = scenario.client()
    review = scenario.start(client)
    before = recorded(scenario)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        scenario.bus.handle(RecordAnswers(
            client_id=client, review_id=review,
            answers=[AnswerInput(standard_id=good, answer=Answer.YES),
                     AnswerInput(standard_id=draft, answer=Answer.NO)]), scenario.tam, scenario.tick())

    assert refused.value.field == "answers[1].standard_id"
    assert recorded(scenario) == before


def test_a_stale_expected_version_is_a_conflict_that_records_no_event(scenario: Scenario) -> None:
    client = scenario.client()
    scenario.bus.handle(ChangeClientProfile(client_id=client, changes={"user_count": 30}), scenario.vcio)
    before = recorded(scenario)

    with pytest.raises(ConflictError) as refused:
        scenario.bus.handle(ChangeClientProfile(
            client_id=client, changes={"user_count": 31}, expected_version=1), scenario.vcio)

    assert refused.value.field == "expected_version"
    assert "version 2" in refused.value.reason
    assert recorded(scenario) == before


def test_a_repeated_completion_records_no_event(scenario: Scenario) -> None:
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)
    scenario.complete(client, review)
    before = recorded(scenario)

    with pytest.raises(ReviewAlreadyCompletedError):
        scenario.complete(client, review)

    assert recorded(scenario) == before


def test_another_tenants_client_is_not_found(scenario: Scenario) -> None:
    client = scenario.client()
    stranger = Actor(f"{scenario.tenant}-other", "eve.vcio", "vcio")

    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(ChangeClientProfile(client_id=client, changes={"name": "Mine now"}), stranger)

    assert refused.value.field == "client_id"


def test_an_invalid_command_names_the_field_before_anything_is_decided() -> None:
    with pytest.raises(ValidationError) as refused:
        OnboardClient(name="Client C", mrr="1500.00", user_count=12, complexity=11,
                      industry="retail", vcio="vera.vcio", tam="tom.tam")

    assert [error["loc"] for error in refused.value.errors()] == [("complexity",)]


def test_another_tenants_standard_cannot_be_answered(scenario: Scenario) -> None:
    theirs = Scenario(scenario.bus, f"{scenario.tenant}-other").standard()
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)

    with pytest.raises(NotFoundError) as refused:
        scenario.answer(client, review, theirs, Answer.YES)

    assert refused.value.field == "standard_id"
