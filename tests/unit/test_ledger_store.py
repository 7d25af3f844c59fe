"""The ledger's event store answers the library's recordings."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import EventStore, Mapper

from commands.ledger import Ledger
from runtime import ledger_store
from runtime.group_commit import WHILE_COMMITTING_KWARG
from runtime.ledger_store import LedgerEventStore
from runtime.memory_store import InMemoryLedgerRecorder
from tests.unit.answer_events import answers

FAST = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory",
        "TRANSCODER_TOPIC": "runtime.transcoder:FastJSONTranscoder",
        "MAPPER_TOPIC": "runtime.event_mapper:FastMapper"}


@pytest.fixture(scope="module")
def mapper() -> Mapper[Any]:
    return Ledger(env=FAST).mapper


def test_the_recordings_answered_equal_the_library_s(mapper: Mapper[Any]) -> None:
    events = answers(uuid4(), 40)

    ours = LedgerEventStore(mapper, InMemoryLedgerRecorder()).put(events)

    assert ours == EventStore(mapper, InMemoryLedgerRecorder()).put(events)


def test_a_save_into_a_recorder_that_answers_no_ids_answers_no_recordings(
        mapper: Mapper[Any]) -> None:
    recorder = InMemoryLedgerRecorder()
    recorder.insert_events = lambda events, **kwargs: None  # type: ignore[method-assign]

    assert LedgerEventStore(mapper, recorder).put(answers(uuid4(), 3)) == []


class PreparingRecorder(InMemoryLedgerRecorder):
    """Gives each save's preparation the ids it answers, or others (``shift``), as the
    PostgreSQL recorder does while a COPY's group commits."""

    def __init__(self, shift: int = 0) -> None:
        super().__init__()
        self.shift = shift

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        prepare = kwargs.pop(WHILE_COMMITTING_KWARG)
        ids = super().insert_events(stored_events, **kwargs)
        prepare([i + self.shift for i in ids])
        return ids


def test_recordings_got_ready_while_committing_are_the_ones_answered(
        mapper: Mapper[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[list[int]] = []
    real = ledger_store.recordings
    monkeypatch.setattr(ledger_store, "recordings", lambda d, s, ids: (
        built.append(list(ids)), real(d, s, ids))[1])
    events = answers(uuid4(), 5)

    ours = LedgerEventStore(mapper, PreparingRecorder()).put(events)

    assert built == [[1, 2, 3, 4, 5]]
    assert ours == EventStore(mapper, InMemoryLedgerRecorder()).put(events)


def test_recordings_got_ready_for_other_ids_than_answered_are_built_again(
        mapper: Mapper[Any]) -> None:
    events = answers(uuid4(), 5)

    ours = LedgerEventStore(mapper, PreparingRecorder(shift=100)).put(events)

    assert [r.notification.id for r in ours] == [1, 2, 3, 4, 5]
    assert ours == EventStore(mapper, InMemoryLedgerRecorder()).put(events)


def test_recordings_that_failed_to_get_ready_are_built_after_the_commit(
        mapper: Mapper[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = ledger_store.recordings

    def fails_first(d: Any, s: Any, ids: Any) -> Any:
        calls.append(len(calls))
        if len(calls) == 1:
            raise MemoryError("no room while committing")
        return real(d, s, ids)

    monkeypatch.setattr(ledger_store, "recordings", fails_first)
    events = answers(uuid4(), 3)

    ours = LedgerEventStore(mapper, PreparingRecorder()).put(events)

    assert calls == [0, 1]
    assert ours == EventStore(mapper, InMemoryLedgerRecorder()).put(events)
