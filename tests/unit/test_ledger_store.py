"""The ledger's event store answers the library's recordings, and a deferred stored event is
the event the mapper would have made at once, its state written when first read."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import EventStore, Mapper, StoredEvent

from commands.ledger import Ledger
from runtime.event_mapper import FastMapper, unwritten, write_states
from runtime.ledger_store import DEFER_MIN_EVENTS, LedgerEventStore
from runtime.memory_store import InMemoryLedgerRecorder
from tests.unit.answer_events import answers

FAST = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory",
        "TRANSCODER_TOPIC": "runtime.transcoder:FastJSONTranscoder",
        "MAPPER_TOPIC": "runtime.event_mapper:FastMapper"}


@pytest.fixture(scope="module")
def mapper() -> Mapper[Any]:
    return Ledger(env=FAST).mapper


def test_the_recordings_answered_equal_the_library_s(mapper: Mapper[Any]) -> None:
    events = answers(uuid4(), DEFER_MIN_EVENTS + 1)

    ours = LedgerEventStore(mapper, InMemoryLedgerRecorder()).put(events)

    assert ours == EventStore(mapper, InMemoryLedgerRecorder()).put(events)


class HandedRecorder(InMemoryLedgerRecorder):
    """The in-memory recorder, keeping the stored events it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: list[Any] = []

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        self.handed.extend(stored_events)
        return super().insert_events(stored_events, **kwargs)


def test_with_a_recorder_that_does_not_know_deferred_events_a_large_save_is_mapped_at_once(
        mapper: Mapper[Any]) -> None:
    recorder = HandedRecorder()

    LedgerEventStore(mapper, recorder).put(answers(uuid4(), DEFER_MIN_EVENTS + 1))

    assert {type(e) for e in recorder.handed} == {StoredEvent}


def test_a_deferred_event_is_the_event_mapped_at_once_its_state_written_when_read(
        mapper: Mapper[Any]) -> None:
    assert isinstance(mapper, FastMapper)
    event = answers(uuid4(), 1)[0]

    deferred = mapper.deferred_stored_event(event)
    unwritten_before = unwritten([deferred])
    at_once = mapper.to_stored_event(event)

    assert unwritten_before
    assert (deferred.originator_id, deferred.originator_version, deferred.topic,
            deferred.state) == (at_once.originator_id, at_once.originator_version,
                                at_once.topic, at_once.state)
    assert not unwritten([deferred])


def test_writing_a_deferred_state_raises_what_mapping_it_at_once_raises(
        mapper: Mapper[Any]) -> None:
    assert isinstance(mapper, FastMapper)
    event = answers(uuid4(), 1, bad_at=0)[0]
    deferred = mapper.deferred_stored_event(event)

    with pytest.raises(TypeError) as at_once:
        mapper.to_stored_event(event)
    with pytest.raises(TypeError) as when_written:
        write_states([deferred])

    assert type(when_written.value) is type(at_once.value)
    assert str(when_written.value) == str(at_once.value)
