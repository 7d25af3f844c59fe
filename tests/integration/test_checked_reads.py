"""A command decided on a cached aggregate another process has since changed is decided again:
its save checks, under the table lock, that everything it read is still at the version it was
decided on, so the read ahead can be skipped while this process is the only writer."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

import runtime.group_writer
from aggregates.errors import ConflictError
from commands.bus import CommandBus
from commands.results import READ_VERSIONS_KWARG
from commands.reviews import RecordAnswer
from commands.standards import ReviseStandard
from events.vocabulary import Answer, ExpectedAnswer
from runtime.group_commit import PendingSave
from tests.integration.test_write_path import started_review
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def alone_for_the_whole_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate stays open however slowly the test runs (a slow machine is not another writer)."""
    monkeypatch.setattr(runtime.group_writer, "ALONE_FOR_SECONDS", 600.0)


@pytest.fixture
def elsewhere(own_ledger: Any, scenario: Scenario) -> Scenario:
    """The same tenant, through a second ledger on the same database (another process)."""
    return Scenario(CommandBus(own_ledger), scenario.tenant)


@pytest.fixture
def reads(services: Any) -> Iterator[list[str]]:
    """The names of this process's event reads (the read ahead, loads, fast-forwards)."""
    recorder = services.ledger.recorder
    calls: list[str] = []
    originals = {name: getattr(recorder, name) for name in ("select_events",
                                                            "select_events_after")}
    for name, read in originals.items():
        def count(*args: Any, _read: Any = read, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _read(*args, **kwargs)

        setattr(recorder, name, count)
    yield calls
    for name in originals:
        delattr(recorder, name)


def cached_answer_setup(scenario: Scenario) -> tuple[UUID, UUID, UUID]:
    """A standard, a client and its open review, all cached by this process, which then writes
    alone for a few groups (so it skips the read ahead)."""
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    for answer in (Answer.NO, Answer.YES, Answer.NO):
        scenario.answer(client, review, standard, answer)
    return standard, client, review


def reworded_elsewhere(elsewhere: Scenario, scenario: Scenario, standard: UUID) -> None:
    """The other process revises the standard's wording (its version moves on by one)."""
    elsewhere.bus.handle(ReviseStandard(standard_id=standard, reason="clearer",
                                        changes={"how_to_check": "Open the console."}),
                         scenario.committee)


def last_event(ledger: Any, aggregate_id: UUID) -> Any:
    stored = ledger.recorder.select_events(aggregate_id, desc=True, limit=1)[0]
    return ledger.mapper.to_domain_event(stored)


def test_a_command_decided_on_a_standard_changed_elsewhere_is_decided_again_on_the_new_one(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard, client, review = cached_answer_setup(scenario)
    elsewhere.bus.handle(ReviseStandard(standard_id=standard, reason="inverted",
                                        changes={"expected_answer": ExpectedAnswer.NO}),
                         scenario.committee)
    assert services.ledger.recorder.writes_alone  # this process has not seen that write yet

    scenario.answer(client, review, standard, Answer.YES)

    recorded = last_event(services.ledger, client)
    assert (recorded.standard_revision, recorded.expected_answer) == (2, ExpectedAnswer.NO)


def test_a_command_decided_on_a_client_changed_elsewhere_is_decided_again_and_loses_nothing(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard, client, review = cached_answer_setup(scenario)
    other = scenario.standard()
    elsewhere.answer(client, review, other, Answer.YES)
    assert services.ledger.recorder.writes_alone

    result = services.bus.handle(RecordAnswer(client_id=client, review_id=review,
                                              standard_id=standard, answer=Answer.YES),
                                 scenario.tam)

    answered = [e.standard_id for e in map(services.ledger.mapper.to_domain_event,
                                           services.ledger.recorder.select_events(client))
                if type(e).__name__ == "AnswerRecorded"]
    assert (result.version, answered[-2:]) == (
        last_event(services.ledger, client).originator_version, [other, standard])


def test_a_command_makes_no_read_before_its_save_while_its_process_writes_alone(
        services: Any, scenario: Scenario, reads: list[str]) -> None:
    standard, client, review = cached_answer_setup(scenario)
    reads.clear()

    scenario.answer(client, review, standard, Answer.YES)

    assert reads == []


def test_a_command_reads_ahead_once_another_process_has_written(
        services: Any, scenario: Scenario, elsewhere: Scenario, reads: list[str]) -> None:
    standard, client, review = cached_answer_setup(scenario)
    elsewhere.standard()
    scenario.answer(client, review, standard, Answer.YES)  # its group sees the gap in the ids
    reads.clear()

    scenario.answer(client, review, standard, Answer.NO)

    assert reads == ["select_events_after"]


def test_a_group_after_another_writers_events_closes_the_gate(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard, client, review = cached_answer_setup(scenario)
    elsewhere.standard()

    scenario.answer(client, review, standard, Answer.YES)

    assert not services.ledger.recorder.writes_alone


def test_a_command_with_an_expected_version_reads_ahead_and_is_not_refused_for_a_stale_cache(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard, client, review = cached_answer_setup(scenario)
    reworded_elsewhere(elsewhere, scenario, standard)
    assert services.ledger.recorder.writes_alone

    result = services.bus.handle(ReviseStandard(
        standard_id=standard, reason="clearer still", expected_version=3,
        changes={"how_to_check": "Open the console, then the log."}), scenario.committee)

    assert result.version == 4


def test_a_command_with_a_stale_expected_version_is_still_refused(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard, client, review = cached_answer_setup(scenario)
    reworded_elsewhere(elsewhere, scenario, standard)

    with pytest.raises(ConflictError):
        services.bus.handle(ReviseStandard(
            standard_id=standard, reason="clearer still", expected_version=2,
            changes={"how_to_check": "Open the console, then the log."}), scenario.committee)


def reading(pending: PendingSave, aggregate_id: UUID, version: int) -> PendingSave:
    pending.kwargs[READ_VERSIONS_KWARG] = [(aggregate_id, version)]
    return pending


def test_a_save_whose_read_is_stale_fails_alone_in_its_group(
        services: Any, scenario: Scenario, elsewhere: Scenario) -> None:
    standard = scenario.standard()
    reworded_elsewhere(elsewhere, scenario, standard)  # standard now at version 3
    clients = [scenario.client(f"Client {n}") for n in range(3)]
    group = [reading(started_review(services.ledger, scenario, clients[0]), standard, 3),
             reading(started_review(services.ledger, scenario, clients[1]), standard, 2),
             reading(started_review(services.ledger, scenario, clients[2]), standard, 3)]

    services.ledger.recorder._write_group(group)

    assert [type(p.error).__name__ for p in group] == ["NoneType", "IntegrityError", "NoneType"]
    assert [last_event(services.ledger, c).originator_version for c in clients] == [2, 1, 2]


def test_a_save_whose_read_is_stale_fails_alone_in_a_group_too_large_for_one_message(
        services: Any, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime.group_writer, "ONE_MESSAGE_BYTES", 0)
    standard = scenario.standard()
    scenario.bus.handle(ReviseStandard(standard_id=standard, reason="clearer",
                                       changes={"how_to_check": "Open the console."}),
                        scenario.committee)
    clients = [scenario.client(f"Client {n}") for n in range(2)]
    group = [reading(started_review(services.ledger, scenario, clients[0]), standard, 1),
             reading(started_review(services.ledger, scenario, clients[1]), standard, 3)]

    services.ledger.recorder._write_group(group)

    assert [type(p.error).__name__ for p in group] == ["IntegrityError", "NoneType"]
