"""Cached aggregates brought up to date for a command, with the database read done before the
aggregate's lock is taken.

A command locks each aggregate it loads (:mod:`commands.aggregate_locks`) and decides on the
cached object itself. Bringing that object up to date needs a read of the events other
processes saved since it was cached (a database round trip); done under the lock, every
command that merely *reads* a popular aggregate - the standard an answer refers to - queued
behind that round trip, and at 8 threads commands spent most of their time waiting there.

So the read happens first, without the lock, from the version the cached object had then;
under the lock only the events still newer than the object are applied (another command of
this process may have moved it on meanwhile), or, if the object was replaced in between, it is
read again under the lock. An event another process saves after the read is missed exactly as
it would have been a moment later: the command's own save, or the check of its reads in the
same transaction, then fails on the version's unique key and the ledger decides again.

The read is skipped while this process seems to be the only writer (see :mod:`commands.ledger`):
then only a retry, or a command sent with an expected version, reads ahead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate
from eventsourcing.domain import Aggregate


@dataclass(frozen=True)
class Prefetch:
    """The events after ``version`` as read (unlocked) before the lock was taken."""

    version: int
    events: Sequence[Any]


class FreshAggregates:
    """Reads ahead of the lock (:meth:`prefetch`) and loads under it (:meth:`load`)."""

    def __init__(self, repository: Repository[UUID]) -> None:
        self.repository = repository

    def prefetch(self, aggregate_id: UUID) -> Prefetch | None:
        """The events newer than the cached object, read without its lock (None: not cached)."""
        cache = self.repository.cache
        if cache is None:
            return None
        try:
            version = cast(Aggregate, cache.get(aggregate_id)).version
        except KeyError:
            return None
        events = list(self.repository.event_store.get(originator_id=aggregate_id, gt=version))
        return Prefetch(version, events)

    def prefetch_many(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, Prefetch]:
        """:meth:`prefetch` for those of ``aggregate_ids`` that are cached, in one query when
        the store can (``select_events_after``)."""
        cache = self.repository.cache
        if cache is None:
            return {}
        versions: dict[UUID, int] = {}
        for aggregate_id in aggregate_ids:
            try:
                versions[aggregate_id] = cast(Aggregate, cache.get(aggregate_id)).version
            except KeyError:
                continue
        select = getattr(self.repository.event_store.recorder, "select_events_after", None)
        if len(versions) < 2 or select is None:
            return {i: p for i in versions if (p := self.prefetch(i)) is not None}
        events: dict[UUID, list[Any]] = {i: [] for i in versions}
        to_event = self.repository.event_store.mapper.to_domain_event
        for stored in select(list(versions.items())):
            events[stored.originator_id].append(to_event(stored))
        return {i: Prefetch(v, events[i]) for i, v in versions.items()}

    def load(self, aggregate_id: UUID, prefetched: Prefetch | None) -> Aggregate:
        """The cached aggregate brought up to date (the caller holds its lock)."""
        cache = self.repository.cache
        if cache is None:
            return cast(Aggregate, self.repository.get(aggregate_id))
        try:
            aggregate = cast(Aggregate, cache.get(aggregate_id))
        except KeyError:  # not cached: the repository builds it from the store and caches it
            return cast(Aggregate, self.repository.get(aggregate_id))
        if prefetched is None or prefetched.version > aggregate.version:
            new = list(self.repository.event_store.get(originator_id=aggregate_id,
                                                       gt=aggregate.version))
        else:
            new = [e for e in prefetched.events if e.originator_version > aggregate.version]
        if not new:
            return aggregate
        updated = project_aggregate(aggregate, new)
        if updated is None:
            raise AggregateNotFoundError(aggregate_id)
        if updated is not aggregate:
            cache.put(aggregate_id, updated)
        return updated

    def cached(self, aggregate_id: UUID) -> Aggregate:
        """The cached aggregate as it is (already brought up to date by this command)."""
        cache = self.repository.cache
        if cache is not None:
            try:
                return cast(Aggregate, cache.get(aggregate_id))
            except KeyError:
                pass
        return cast(Aggregate, self.repository.get(aggregate_id))
