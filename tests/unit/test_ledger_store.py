"""The ledger's event store answers the library's recordings."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import EventStore, Mapper

from commands.ledger import Ledger
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
