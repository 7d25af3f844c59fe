"""The event store of the PostgreSQL ledger: the library's, answering its recordings faster.

The library's ``EventStore.put`` answers one ``Recording`` holding one ``Notification`` per
event, both frozen dataclasses built field by field with ``object.__setattr__`` (about a tenth
of a 300-answer save's Python time, bench/append.py). Here they are built as the mapper builds
stored events (:class:`runtime.event_mapper.FastMapper`): equal objects, each given its dict
at once (tests/unit/test_ledger_store.py). A save's events are mapped in one call
(``FastMapper.to_stored_events``), and a save that goes in by COPY gets its recordings ready
while the server commits (``WHILE_COMMITTING_KWARG``, :func:`runtime.group_commit.
while_committing`: the client would otherwise wait idle for the COMMIT's answer, about 1.8 ms
of a 300-answer save on 2026-11-28); they are answered only if the ids they were given are the
ids the commit answered, and built afresh otherwise (or if getting them ready failed, which
then fails here as it would have).

Measured and not kept (2026-11-27): a large save's states written as its COPY sends them
(stored events whose state is written when first read), so the server inserts the first rows
while Python writes the next. In one process, interleaved with the same save writing its
states first, it was 8-10 % slower at load 3-4 and 20-30 % slower at load 10 (the laziness
costs 0.2-0.3 ms per 300 events, and the two sides only overlap when a core is free for each).
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
    StoredEvent,
)
from eventsourcing.postgres import PostgresFactory

from runtime.group_commit import WHILE_COMMITTING_KWARG

_new = object.__new__
_set = object.__setattr__


class LedgerEventStore(EventStore[Any]):
    """The library's event store, its recordings built without ``object.__setattr__``."""

    def put(self, domain_events: Sequence[DomainEventProtocol[Any]],
            **kwargs: Any) -> list[Recording[Any]]:
        to_stored_events = getattr(self.mapper, "to_stored_events", None)
        stored_events: list[StoredEvent] = (
            to_stored_events(domain_events) if to_stored_events is not None
            else list(map(self.mapper.to_stored_event, domain_events)))
        prepared: list[tuple[list[int], list[Recording[Any]]]] = []

        def while_committing(ids: Sequence[int]) -> None:
            try:
                prepared.append((list(ids), recordings(domain_events, stored_events, ids)))
            except Exception:  # noqa: BLE001 - built again below, where its error is raised
                prepared.clear()

        notification_ids = self.recorder.insert_events(
            stored_events, **kwargs, **{WHILE_COMMITTING_KWARG: while_committing})
        if not notification_ids:
            return []
        if len(notification_ids) != len(stored_events):
            raise AssertionError(f"{len(notification_ids)} ids for {len(stored_events)} events")
        if prepared and prepared[-1][0] == list(notification_ids):  # the last try's
            return prepared[-1][1]
        return recordings(domain_events, stored_events, notification_ids)


def recordings(domain_events: Sequence[DomainEventProtocol[Any]],
               stored_events: Sequence[StoredEvent], ids: Sequence[int]) -> list[Recording[Any]]:
    """The recordings of stored events given these notification ids, built field by field."""
    answer = []
    for d, s, n_id in zip(domain_events, stored_events, ids, strict=True):
        notification = _new(Notification)
        _set(notification, "__dict__", {
            "originator_id": s.originator_id, "originator_version": s.originator_version,
            "topic": s.topic, "state": s.state, "id": n_id})
        recording = _new(Recording)
        _set(recording, "__dict__", {"domain_event": d, "notification": notification})
        answer.append(recording)
    return answer


class PostgresLedgerFactory(PostgresFactory):
    """The library's PostgreSQL persistence with :class:`LedgerEventStore`."""

    def event_store(self, mapper: Mapper[Any] | None = None,
                    recorder: AggregateRecorder | None = None) -> EventStore[Any]:
        return LedgerEventStore(mapper=mapper or self.mapper(),
                                recorder=recorder or self.application_recorder())
