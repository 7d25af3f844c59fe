"""The write path under load: a hot client, a failed decision, and saves written as a group."""

import threading
import time
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.errors import DomainError
from commands.ledger import StoreBusyError
from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from runtime.group_commit import GroupCommit, PendingSave
from tests.integration.conftest import run_together
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

WRITERS = 32
ANSWERS_EACH = 8
STANDARDS = 64


def answer_events(ledger: Any, client: UUID) -> list[Any]:
    return [e for e in ledger.recorder.select_events(client) if e.topic.endswith(".AnswerRecorded")]


def test_a_hot_client_takes_32_version_less_writers_without_a_conflict_or_a_loss(
        services: Any, scenario: Scenario) -> None:
    standards = [scenario.standard() for _ in range(STANDARDS)]
    client = scenario.client()
    review = scenario.start(client)

    def send(command: RecordAnswer) -> CommandResult:
        while True:  # as a client honouring Retry-After: busy is not a refusal
            try:
                return services.bus.handle(command, scenario.tam)
            except StoreBusyError:
                time.sleep(0.05)

    def writer(number: int) -> list[CommandResult]:
        return [send(RecordAnswer(
            client_id=client, review_id=review, answer=Answer.YES,
            standard_id=standards[(number * ANSWERS_EACH + n) % STANDARDS]))
            for n in range(ANSWERS_EACH)]

    outcomes = run_together(*[lambda n=n: writer(n) for n in range(WRITERS)])

    refused = [o for o in outcomes if isinstance(o, Exception)]
    results = [r for o in outcomes if not isinstance(o, Exception) for r in o]
    logged = {e.originator_version for e in answer_events(services.ledger, client)}
    services.projectors["client_alignment"].catch_up()
    alignment = services.alignment.alignment(scenario.tenant, client)
    assert refused == []
    assert len(results) == WRITERS * ANSWERS_EACH
    assert {r.version for r in results} <= logged
    assert alignment is not None and alignment.answered == STANDARDS


def test_a_failed_decision_leaves_the_cached_client_as_stored(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    cached = services.ledger.load_client(scenario.tam, client)

    def break_half_way(**_: Any) -> None:
        raise RuntimeError("the decision failed after changing the aggregate")

    def decide_then_fail() -> Any:
        loaded = services.ledger.load_client(scenario.tam, client)
        loaded.complete_review(review_id=review, completed_at=scenario.clock, by="tom.tam")
        break_half_way()
        return loaded

    with pytest.raises(RuntimeError):
        services.ledger.execute(scenario.tam, RecordAnswer(
            client_id=client, review_id=review, standard_id=standard, answer=Answer.NO), None,
            decide_then_fail)
    result = services.bus.handle(RecordAnswer(client_id=client, review_id=review,
                                              standard_id=standard, answer=Answer.NO), scenario.tam)

    assert result.version == cached.version + 1
    assert services.ledger.load_client(scenario.tam, client).reviews[review].completed_at is None


def test_a_refused_decision_leaves_the_cached_client_as_stored(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    version = services.ledger.load_client(scenario.tam, client).version

    with pytest.raises(DomainError):
        services.bus.handle(RecordAnswer(client_id=client, review_id=review,
                                         standard_id=client, answer=Answer.NO), scenario.tam)
    result = services.bus.handle(RecordAnswer(client_id=client, review_id=review,
                                              standard_id=standard, answer=Answer.NO), scenario.tam)

    assert result.version == version + 1


def started_review(ledger: Any, scenario: Scenario, client: UUID) -> PendingSave:
    """A save of a review start on a private copy of ``client`` (as another process would)."""
    copy = ledger.load_client(scenario.tam, client)
    copy.start_review(review_id=uuid4(), categories=[], in_scope=1, started_at=scenario.clock,
                      by="tom.tam")
    return PendingSave([ledger.mapper.to_stored_event(e) for e in copy.collect_events()], {})


def test_one_conflicting_save_in_a_group_does_not_fail_the_others(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    clients = [scenario.client(f"Client {n}") for n in range(3)]
    group = [started_review(services.ledger, scenario, clients[0]),
             started_review(services.ledger, scenario, clients[1]),
             started_review(services.ledger, scenario, clients[1]),  # same version: a conflict
             started_review(services.ledger, scenario, clients[2])]

    services.ledger.recorder._write_group(group)

    assert [type(p.error).__name__ for p in group] == ["NoneType", "NoneType", "IntegrityError",
                                                       "NoneType"]
    logged = {e.originator_id: e.originator_version
              for c in clients for e in services.ledger.recorder.select_events(c)}
    assert all(logged[c] == 2 for c in clients)
    assert all(p.ids and len(p.ids) == 1 for p in (group[0], group[1], group[3]))
    assert way is None or way[-1:] == [4]  # copied as a group first, then written save by save


def test_a_reused_idempotency_key_in_a_group_fails_only_its_second_save(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    clients = [scenario.client(f"Client {n}") for n in range(2)]
    group = [started_review(services.ledger, scenario, c) for c in clients]
    for pending, client in zip(group, clients, strict=True):
        pending.kwargs[COMMAND_LOG_KWARG] = CommandLogEntry(
            scenario.tenant, "same-key", "StartReview", "fingerprint",
            CommandResult(client, 2, None))

    services.ledger.recorder._write_group(group)

    assert group[0].error is None and group[0].ids
    assert type(group[1].error).__name__ == "IntegrityError"
    assert services.ledger.command_log.find_command(scenario.tenant, "same-key").result.position \
        == group[0].ids[0]
    assert way is None or way[-1:] == [2]


def test_each_idempotency_record_in_a_group_answers_the_last_id_of_its_own_save(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    clients = [scenario.client(f"Client {n}") for n in range(4)]
    group = [started_review(services.ledger, scenario, c) for c in clients[:3]]
    group[0].stored_events = [*group[0].stored_events,  # a save of two events
                              *started_review(services.ledger, scenario, clients[3]).stored_events]
    for n, (pending, client) in enumerate(zip(group, clients[:3], strict=True)):
        if n != 1:  # the middle save has no record: the records' positions must not shift
            pending.kwargs[COMMAND_LOG_KWARG] = CommandLogEntry(
                scenario.tenant, f"key-{n}-{client}", "StartReview", "fingerprint",
                CommandResult(client, 2, None))

    services.ledger.recorder._write_group(group)

    positions = [services.ledger.command_log.find_command(
        scenario.tenant, f"key-{n}-{clients[n]}").result.position for n in (0, 2)]
    assert (len(group[0].ids), positions) == (2, [max(group[0].ids), group[2].ids[0]])
    assert way is None or way[-1:] == [3]


def test_saves_that_arrive_while_a_group_is_written_are_written_together_next() -> None:
    groups: list[int] = []
    writing = threading.Event()
    release = threading.Event()

    def write(group: list[PendingSave]) -> None:
        groups.append(len(group))
        writing.set()
        release.wait(10)
        for pending in group:
            pending.succeed([1])

    commit = GroupCommit(write)
    first = threading.Thread(target=commit.save, args=([],))
    first.start()
    writing.wait(10)
    others = [threading.Thread(target=commit.save, args=([],)) for _ in range(5)]
    for thread in others:
        thread.start()
    while len(commit._queue) < 5:
        time.sleep(0.001)
    release.set()
    for thread in [first, *others]:
        thread.join(10)

    assert groups == [1, 5]


def test_a_group_whose_writer_fails_fails_its_saves_and_leaves_the_lead_to_the_next() -> None:
    written: list[int] = []
    second_queued = threading.Event()

    def write(group: list[PendingSave]) -> None:
        if not written:
            written.append(0)
            second_queued.wait(10)
            raise RuntimeError("no connection")
        written.append(len(group))
        for pending in group:
            pending.succeed([1])

    commit = GroupCommit(write)
    first_error: list[BaseException] = []

    def first_save() -> None:
        try:
            commit.save([])
        except RuntimeError as error:
            first_error.append(error)

    first = threading.Thread(target=first_save)
    first.start()
    while not written:
        time.sleep(0.001)
    second: list[Any] = []
    after = threading.Thread(target=lambda: second.append(commit.save([])))
    after.start()
    while len(commit._queue) < 1:
        time.sleep(0.001)
    second_queued.set()
    for thread in (first, after):
        thread.join(10)  # the second would wait for ever if the failed leader kept the lead

    assert [str(e) for e in first_error] == ["no connection"]
    assert (written, second) == ([0, 1], [[1]])


def test_a_save_too_large_for_one_message_keeps_its_idempotency_record(
        services: Any, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("runtime.group_writer.ONE_MESSAGE_BYTES", 0)  # every save is "large"
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    command = RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                           answer=Answer.NO)

    first = services.bus.handle(command, scenario.tam, idempotency_key="large-save")
    again = services.bus.handle(command, scenario.tam, idempotency_key="large-save")

    assert (again.replayed, again.version, again.position) == (True, first.version, first.position)
    assert first.position is not None
