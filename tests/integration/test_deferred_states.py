"""A large save's states are written as its COPY sends them; a state that cannot be written
fails its own save only, and records nothing of it."""

from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from runtime.event_mapper import DeferredStoredEvent, unwritten
from runtime.group_commit import PendingSave
from runtime.ledger_store import LedgerEventStore
from tests.unit.answer_events import answers

pytestmark = pytest.mark.integration

LARGE = 40  # at least DEFER_MIN_EVENTS and COPY_MIN_EVENTS


@pytest.fixture
def seen_at_copy(services: Any, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each COPY: whether any of its events' states was still unwritten as it began."""
    from runtime.group_writer import GroupWriter

    services.ledger.recorder.insert_events([StoredEvent(
        originator_id=uuid4(), originator_version=1, topic="t:T", state=b"{}")])  # a last id
    seen: list[bool] = []
    copy = GroupWriter._copy_group_events

    def noting(self: Any, curs: Any, events: Any, last_id: int) -> list[int]:
        seen.append(unwritten(events))
        return copy(self, curs, events, last_id)

    monkeypatch.setattr(GroupWriter, "_copy_group_events", noting)
    return seen


def library_rows(services: Any, events: list[Any]) -> list[tuple[int, str, bytes]]:
    transcoder = JSONTranscoder()
    services.ledger.register_transcodings(transcoder)
    library = Mapper[Any](transcoder=transcoder)
    return [(s.originator_version, s.topic, s.state)
            for s in map(library.to_stored_event, events)]


def stored_rows(services: Any, originator: UUID) -> list[tuple[int, str, bytes]]:
    return [(e.originator_version, e.topic, e.state)
            for e in services.ledger.recorder.select_events(originator)]


def test_a_large_save_writes_its_states_as_its_copy_sends_them_the_library_s_bytes(
        services: Any, seen_at_copy: list[bool]) -> None:
    originator = uuid4()
    events = answers(originator, LARGE)

    services.ledger.events.put(events)

    assert type(services.ledger.events) is LedgerEventStore
    assert seen_at_copy == [True]
    assert stored_rows(services, originator) == library_rows(services, events)


def test_a_small_save_is_mapped_at_once_in_the_caller_s_thread(
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = services.ledger.recorder
    handed: list[type] = []
    insert = recorder.insert_events
    monkeypatch.setattr(recorder, "insert_events", lambda events, **kwargs: (
        handed.extend(type(e) for e in events), insert(events, **kwargs))[1])

    services.ledger.events.put(answers(uuid4(), 3))

    assert handed == [StoredEvent] * 3


def test_a_large_save_whose_state_cannot_be_written_fails_and_records_nothing(
        services: Any, seen_at_copy: list[bool]) -> None:
    originator = uuid4()

    with pytest.raises(Exception, match="not serializable") as raised:
        services.ledger.events.put(answers(originator, LARGE, bad_at=30))

    assert type(raised.value).__name__ == "TranscodingNotRegisteredError"
    assert seen_at_copy == [True]  # it failed inside its COPY
    assert stored_rows(services, originator) == []


def test_after_a_save_failed_inside_its_copy_the_next_save_is_written(
        services: Any, seen_at_copy: list[bool]) -> None:
    with pytest.raises(Exception, match="not serializable"):
        services.ledger.events.put(answers(uuid4(), LARGE, bad_at=0))
    originator = uuid4()
    events = answers(originator, LARGE)

    services.ledger.events.put(events)

    assert stored_rows(services, originator) == library_rows(services, events)


def test_in_a_group_a_save_whose_state_cannot_be_written_fails_alone_and_the_others_commit(
        services: Any) -> None:
    mapper, recorder = services.ledger.mapper, services.ledger.recorder
    good_id, bad_id = uuid4(), uuid4()
    good_events, bad_events = answers(good_id, LARGE), answers(bad_id, LARGE, bad_at=5)
    good = PendingSave([mapper.deferred_stored_event(e) for e in good_events], {})
    bad = PendingSave([mapper.deferred_stored_event(e) for e in bad_events], {})

    recorder._write_group([bad, good])

    assert type(good.stored_events[0]) is DeferredStoredEvent
    assert type(bad.error).__name__ == "TranscodingNotRegisteredError"
    assert good.error is None
    assert len(good.ids or []) == LARGE
    assert stored_rows(services, good_id) == library_rows(services, good_events)
    assert stored_rows(services, bad_id) == []
