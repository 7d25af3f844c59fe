"""Two writers on one client at once: never a lost update, never a silently dropped command."""

from typing import Any
from uuid import UUID

import pytest

from aggregates.client import Client
from aggregates.errors import ConflictError
from commands.bus import CommandBus
from commands.results import Actor, CommandResult
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from tests.integration.conftest import hold_first_saves, run_together
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def answering(ledger: Any, scenario: Scenario, client: UUID, review: UUID, standard: UUID,
              answer: Answer, expected_version: int | None) -> Any:
    command = RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                           answer=answer, expected_version=expected_version)
    return lambda: CommandBus(ledger).handle(command, scenario.tam, scenario.clock)


def events_of(ledger: Any, client: UUID) -> int:
    return len(ledger.recorder.select_events(client))


def load(ledger: Any, scenario: Scenario, client: UUID) -> Client:
    return ledger.load_client(Actor(scenario.tenant, "reader", "viewer"), client)


@pytest.fixture
def open_review(scenario: Scenario) -> tuple[UUID, UUID, UUID, UUID]:
    """A client with an open review and two standards to answer: (client, review, a, b)."""
    first, second = scenario.standard(), scenario.standard()
    client = scenario.client()
    return client, scenario.start(client), first, second


def test_of_two_writers_expecting_the_same_version_exactly_one_wins(
        racing_ledgers: list[Any], scenario: Scenario,
        open_review: tuple[UUID, UUID, UUID, UUID]) -> None:
    client, review, first, second = open_review
    version = load(racing_ledgers[0], scenario, client).version
    hold_first_saves(racing_ledgers, parties=2)

    outcomes = run_together(
        answering(racing_ledgers[0], scenario, client, review, first, Answer.YES, version),
        answering(racing_ledgers[1], scenario, client, review, second, Answer.NO, version))

    assert sorted(type(o).__name__ for o in outcomes) == ["CommandResult", "ConflictError"]
    conflict = next(o for o in outcomes if isinstance(o, ConflictError))
    assert conflict.field == "expected_version"


def test_a_lost_race_on_an_expected_version_records_only_the_winners_event(
        racing_ledgers: list[Any], scenario: Scenario,
        open_review: tuple[UUID, UUID, UUID, UUID]) -> None:
    client, review, first, second = open_review
    before = events_of(racing_ledgers[0], client)
    version = load(racing_ledgers[0], scenario, client).version
    hold_first_saves(racing_ledgers, parties=2)

    outcomes = run_together(
        answering(racing_ledgers[0], scenario, client, review, first, Answer.YES, version),
        answering(racing_ledgers[1], scenario, client, review, second, Answer.NO, version))

    winner = next(o for o in outcomes if isinstance(o, CommandResult))
    answers = load(racing_ledgers[0], scenario, client).reviews[review].answers
    assert events_of(racing_ledgers[0], client) == before + 1
    assert winner.version == version + 1
    assert len(answers) == 1


def test_two_concurrent_answers_without_an_expected_version_both_land(
        racing_ledgers: list[Any], scenario: Scenario,
        open_review: tuple[UUID, UUID, UUID, UUID]) -> None:
    client, review, first, second = open_review
    before = events_of(racing_ledgers[0], client)
    hold_first_saves(racing_ledgers, parties=2)

    outcomes = run_together(
        answering(racing_ledgers[0], scenario, client, review, first, Answer.YES, None),
        answering(racing_ledgers[1], scenario, client, review, second, Answer.NO, None))

    answers = load(racing_ledgers[0], scenario, client).reviews[review].answers
    assert all(isinstance(o, CommandResult) for o in outcomes)
    assert sorted(o.version for o in outcomes) == [before + 1, before + 2]
    assert events_of(racing_ledgers[0], client) == before + 2
    assert {s: a.answer for s, a in answers.items()} == {first: Answer.YES, second: Answer.NO}
