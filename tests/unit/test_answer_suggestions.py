"""An answer suggested from an outside tool's data (an RMM's) is kept with its source for the
TAM to see; it never records or changes an answer, and a standard that cannot be answered
cannot be suggested either."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from aggregates.client import Client
from aggregates.errors import AnswerToUnpublishedStandardError
from commands.results import Actor, CommandResult
from commands.reviews import SuggestAnswer
from events.vocabulary import Answer
from tests.unit.scenario import Scenario

OBSERVED = datetime(2025, 1, 5, 8, 30, tzinfo=UTC)


def suggest(scenario: Scenario, client_id: UUID, standard_id: UUID, answer: Answer,
            key: str | None = None) -> CommandResult:
    rmm = Actor(scenario.tenant, "rmm:ninjaone", "integration")
    return scenario.bus.handle(SuggestAnswer(
        client_id=client_id, standard_id=standard_id, answer=answer, source="rmm:ninjaone",
        evidence="Firewall policy check passed", observed_at=OBSERVED), rmm, scenario.tick(), key)


def test_a_suggestion_is_recorded_with_its_source(scenario: Scenario) -> None:
    standard = scenario.standard()
    client_id = scenario.client()

    result = suggest(scenario, client_id, standard, Answer.YES)

    [event] = [e for e in scenario.ledger.repository.event_store.get(client_id)
               if isinstance(e, Client.AnswerSuggested)]
    assert event.suggestion_id == result.created_id
    assert event.standard_id == standard
    assert event.answer is Answer.YES
    assert event.source == "rmm:ninjaone"
    assert event.evidence == "Firewall policy check passed"
    assert event.observed_at == OBSERVED
    assert event.by == "rmm:ninjaone"


def test_a_suggestion_changes_no_answer(scenario: Scenario) -> None:
    standard = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard, Answer.NO)

    suggest(scenario, client_id, standard, Answer.YES)

    client = scenario.ledger.repository.get(client_id)
    assert client.reviews[review_id].answers[standard].answer is Answer.NO
    assert client.open_review is not None and client.open_review.review_id == review_id


def test_a_suggestion_needs_no_open_review_and_records_no_answer(scenario: Scenario) -> None:
    standard = scenario.standard()
    client_id = scenario.client()

    suggest(scenario, client_id, standard, Answer.NO)

    client = scenario.ledger.repository.get(client_id)
    assert client.reviews == {}
    assert client.previous_answer(standard) is None


def test_a_repeated_suggestion_message_names_the_same_suggestion(scenario: Scenario) -> None:
    standard = scenario.standard()
    client_id = scenario.client()

    first = suggest(scenario, client_id, standard, Answer.YES, key="rmm-check-1")
    again = suggest(scenario, client_id, standard, Answer.YES, key="rmm-check-1")

    assert again.created_id == first.created_id
    assert scenario.ledger.repository.get(client_id).version == first.version


def test_suggesting_an_answer_to_a_draft_standard_is_refused(scenario: Scenario) -> None:
    draft = scenario.standard(publish=False)
    client_id = scenario.client()

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        suggest(scenario, client_id, draft, Answer.YES)

    assert refused.value.field == "standard_id"
    assert "draft" in refused.value.reason
    assert scenario.ledger.repository.get(client_id).version == 1
