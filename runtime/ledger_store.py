"""The event store of the PostgreSQL ledger: a large save's states written as its COPY is sent.

The library's ``EventStore.put`` maps every event of a save (its state written to JSON bytes),
then hands them to the recorder. For a large save that is a millisecond or more of Python
before the first row leaves, while PostgreSQL waits; then PostgreSQL inserts while Python
waits. Here a save of at least ``DEFER_MIN_EVENTS`` events is mapped to
:class:`runtime.event_mapper.DeferredStoredEvent`: ids, versions and topics at once, each
state when the COPY reaches its row (:mod:`runtime.copy_rows`), so Python writes the next rows
while the server inserts the first. A smaller save is mapped at once, in the caller's thread,
as before. The recorder must know deferred events (``writes_deferred_states``, see
:mod:`runtime.group_writer`: a failure to write one fails its own save only); with any other
recorder every save is mapped at once.

The recordings answered are the library's (equal objects), built without the frozen
dataclasses' ``object.__setattr__`` per field.
"""

from collections.abc import Sequence
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    AggregateRecorder,
    EventStore,
    Mapper,
    Notification,
    Recording,
)
from eventsourcing.postgres import PostgresFactory

from runtime.event_mapper import FastMapper, write_states
from runtime.group_commit import PendingSave

DEFER_MIN_EVENTS = 32  # as many as a COPY takes (runtime.group_inserts.COPY_MIN_EVENTS)
_new = object.__new__
_set = object.__setattr__


class LedgerEventStore(EventStore[Any]):
    """The library's event store, a large save's states written as they are sent."""

    def put(self, domain_events: Sequence[DomainEventProtocol[Any]],
            **kwargs: Any) -> list[Recording[Any]]:
        mapper = self.mapper
        if (len(domain_events) >= DEFER_MIN_EVENTS and isinstance(mapper, FastMapper)
                and getattr(self.recorder, "writes_deferred_states", False)):
            stored_events = list(map(mapper.deferred_stored_event, domain_events))
        else:
            stored_events = list(map(mapper.to_stored_event, domain_events))
        notification_ids = self.recorder.insert_events(stored_events, **kwargs)
        if not notification_ids:
            return []
        if len(notification_ids) != len(stored_events):
            raise AssertionError(f"{len(notification_ids)} ids for {len(stored_events)} events")
        recordings = []
        for d, s, n_id in zip(domain_events, stored_events, notification_ids, strict=True):
            notification = _new(Notification)
            _set(notification, "__dict__", {
                "originator_id": s.originator_id, "originator_version": s.originator_version,
                "topic": s.topic, "state": s.state, "id": n_id})
            recording = _new(Recording)
            _set(recording, "__dict__", {"domain_event": d, "notification": notification})
            recordings.append(recording)
        return recordings


def states_written(group: list[PendingSave]) -> list[PendingSave]:
    """The saves of ``group`` whose deferred states could all be written now; each other save
    fails with its own error, as its mapping would have failed in its caller's thread (a group
    of several saves is written so before its transaction begins; a group of one save writes
    its states as its COPY sends them, and a failure there undoes that save's transaction
    only)."""
    written = []
    for pending in group:
        try:
            write_states(pending.stored_events)
        except Exception as error:  # noqa: BLE001 - the save's own error, answered to it
            pending.fail(error)
        else:
            written.append(pending)
    return written


class PostgresLedgerFactory(PostgresFactory):
    """The library's PostgreSQL persistence with :class:`LedgerEventStore`."""

    def event_store(self, mapper: Mapper[Any] | None = None,
                    recorder: AggregateRecorder | None = None) -> EventStore[Any]:
        return LedgerEventStore(mapper=mapper or self.mapper(),
                                recorder=recorder or self.application_recorder())
