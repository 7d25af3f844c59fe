"""The ledger application: the event store plus the one loop every command handler runs.

The loop is where the cross-cutting promises live: tenant isolation on load, optimistic
concurrency (``expected_version``), idempotency keys written atomically with the events, and
automatic re-decision when a command without an expected version races another writer.
Commands decide on the cached aggregate itself (a deep copy per command cost most of a
command's time); a command locks the aggregates it loads, so it is the only one deciding on
them, and evicts them from the cache when its decision or its save fails.

Every save proves that what it was decided on was fresh, under the event table's lock: the
aggregate it saves by its events' unique (id, version) key, and every other aggregate it
loaded (the standard an answer refers to) by a check in the same transaction that fails on
that key if the aggregate has an event newer than the version decided on
(``READ_VERSIONS_KWARG``, :mod:`runtime.group_writer`). A failed check fails only its own
save; the command is decided again, reading ahead what other processes saved. This is
stronger than the read ahead alone, after which an aggregate only read could still change
before the commit. So while this process is the only writer (``writes_alone``), a first
attempt skips the read ahead (a round trip per command) and decides on the cached
aggregates; a command that sent an expected version always reads ahead (a stale cache would
answer a false 409).
"""

import contextlib
import copy
import itertools
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    Recording,
)
from pydantic import BaseModel

from aggregates.client import Client
from aggregates.errors import ConflictError, DomainError, NotFoundError
from aggregates.standard import Standard
from aggregates.tenanted import TenantAggregate
from commands.aggregate_locks import AggregateLocks
from commands.fresh_aggregates import FreshAggregates, Prefetch
from commands.results import (
    COMMAND_LOG_KWARG,
    READ_VERSIONS_KWARG,
    Actor,
    CommandLog,
    CommandLogEntry,
    CommandResult,
    fingerprint,
)
from commands.transcodings import DateAsISO, EnumAsValue
from events.vocabulary import ALL_ENUMS

A = TypeVar("A", bound=TenantAggregate)
ID_NAMESPACE = UUID("5b8a2f64-3f52-4a8e-9a52-4f1ad0c1e001")

MAX_ATTEMPTS = 5
DEFAULT_WRITE_TIMEOUT = 5.0
DEADLOCK_WAIT = 0.2


class StoreBusyError(Exception):
    """The event store could not take its write lock in time, or the database is unreachable;
    the caller should retry."""


class RetryDecisionError(Exception):
    """The decision must be made again from fresh state (a lost race, a possible deadlock)."""


@dataclass
class Decision:
    """One command's attempt: its deadline and the aggregates it holds locked."""

    deadline: float
    held: list[UUID] = field(default_factory=list)
    prefetched: dict[UUID, Prefetch] = field(default_factory=dict)
    read_versions: dict[UUID, int] = field(default_factory=dict)  # each load's version
    trusts_cache: bool = False  # decide on the cached aggregates without reading ahead

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


class IdempotencyKeyReusedError(DomainError):
    pass


class Ledger(Application[UUID]):
    """The vCIO Ledger event-sourced application (kept thin: rules live in aggregates)."""

    name = "Ledger"
    # No deep copy of a cached aggregate per command: commands lock what they change and
    # evict it when a decision or save fails (see ``_decide_and_save``).
    env: ClassVar[dict[str, str]] = {"DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self.locks = AggregateLocks()
        self.fresh = FreshAggregates(self.repository)
        self._decisions = threading.local()
        self.write_timeout = float(self.env.get("POSTGRES_LOCK_TIMEOUT") or DEFAULT_WRITE_TIMEOUT)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for enum_type in ALL_ENUMS:
            transcoder.register(EnumAsValue(enum_type))

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's ``save`` for aggregates, without its per-object runtime-Protocol
        ``isinstance`` checks (Python 3.11 walks each protocol's members on every call: about a
        twentieth of a one-answer command's CPU). Anything but aggregates goes the library's
        way."""
        if not all(isinstance(obj, Aggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as it calls it
        return recordings

    @property
    def command_log(self) -> CommandLog:
        return cast(CommandLog, self.recorder)

    def new_id(self, actor: Actor, idempotency_key: str | None, purpose: str) -> UUID:
        """A fresh id; deterministic for an idempotent command so a retry names the same thing."""
        if idempotency_key is None:
            return uuid.uuid4()
        return uuid.uuid5(ID_NAMESPACE, f"{actor.tenant}:{idempotency_key}:{purpose}")

    def load(self, actor: Actor, kind: type[A], aggregate_id: UUID, field: str,
             expected_version: int | None = None) -> A:
        """Load a tenant's aggregate; another tenant's ids are simply not found."""
        try:
            aggregate = self._get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(field, f"no {kind.__name__.lower()} with this id") from None
        if not isinstance(aggregate, kind) or aggregate.tenant != actor.tenant:
            raise NotFoundError(field, f"no {kind.__name__.lower()} with this id")
        if expected_version is not None and aggregate.version != expected_version:
            raise ConflictError(
                "expected_version",
                f"{kind.__name__.lower()} is at version {aggregate.version}, not {expected_version}",
            )
        return aggregate

    def _get(self, aggregate_id: UUID) -> Aggregate:
        """Inside a command: the cached aggregate itself, locked until the command is done and
        brought up to date with a read made before the lock (:mod:`commands.fresh_aggregates`).
        Outside one: a private copy, taken while no command is deciding on it."""
        decision: Decision | None = getattr(self._decisions, "current", None)
        if decision is None:
            if self.repository.cache is None:
                return cast(Aggregate, self.repository.get(aggregate_id))
            if not self.locks.acquire(aggregate_id, self.write_timeout):
                raise StoreBusyError("another command on this record is taking too long")
            try:
                return cast(Aggregate, copy.deepcopy(self.repository.get(aggregate_id)))
            finally:
                self.locks.release(aggregate_id)
        if aggregate_id in decision.held:
            return self.fresh.cached(aggregate_id)
        prefetched = decision.prefetched.pop(aggregate_id, None)
        if prefetched is None and not decision.trusts_cache:
            prefetched = self.fresh.prefetch(aggregate_id)  # the round trip, before the lock
        holds_others = bool(decision.held)
        wait = decision.remaining()
        if not self.locks.acquire(aggregate_id, min(wait, DEADLOCK_WAIT) if holds_others else wait):
            if holds_others:
                raise RetryDecisionError("two commands wait for each other's records")
            raise StoreBusyError("another command on this record is taking too long")
        decision.held.append(aggregate_id)
        decision.read_versions[aggregate_id] = 0  # read as not existing, if it is not found
        if decision.trusts_cache:
            aggregate = self.fresh.cached(aggregate_id)
        else:
            aggregate = self.fresh.load(aggregate_id, prefetched)
        decision.read_versions[aggregate_id] = aggregate.version
        return aggregate

    def load_client(self, actor: Actor, client_id: UUID, expected_version: int | None = None) -> Client:
        return self.load(actor, Client, client_id, "client_id", expected_version)

    def load_standard(self, actor: Actor, standard_id: UUID,
                      expected_version: int | None = None) -> Standard:
        return self.load(actor, Standard, standard_id, "standard_id", expected_version)

    def execute(self, actor: Actor, command: BaseModel, idempotency_key: str | None,
                decide: Callable[[], Aggregate], created_id: UUID | None = None) -> CommandResult:
        """Decide and save, exactly once per idempotency key, never losing an update.

        A command without an expected version is decided again whenever it loses a race (to
        another process: this one decides on an aggregate one command at a time), until the
        store's lock timeout; then it is refused as busy (503), never as a conflict (409).
        """
        try:
            if idempotency_key is not None:
                replay = self._replay(actor, command, idempotency_key)
                if replay is not None:
                    return replay
            decision = Decision(time.monotonic() + self.write_timeout)
            for attempt in itertools.count():
                decision.trusts_cache = attempt == 0 and self._trusts_cache(command)
                try:
                    return self._decide_and_save(decision, actor, command, idempotency_key,
                                                 decide, created_id)
                except RetryDecisionError:
                    if decision.remaining() <= 0:
                        raise StoreBusyError("the record kept changing; retry") from None
                    time.sleep(random.uniform(0, min(0.001 * 2 ** attempt, 0.05)))  # noqa: S311
            raise AssertionError("unreachable")  # pragma: no cover
        except (OperationalError, InterfaceError) as error:
            raise StoreBusyError(f"the database is unavailable: {error}") from error

    def _decide_and_save(self, decision: "Decision", actor: Actor, command: BaseModel,
                         idempotency_key: str | None, decide: Callable[[], Aggregate],
                         created_id: UUID | None) -> CommandResult:
        decision.held.clear()
        decision.read_versions.clear()
        # The aggregates the command names, brought up to date in one query before any lock
        # (unless the save's checks are trusted to catch a stale cache, see _trusts_cache).
        decision.prefetched = {} if decision.trusts_cache else self.fresh.prefetch_many(
            [value for _, value in command if isinstance(value, UUID)])
        self._decisions.current = decision
        try:
            try:
                aggregate = decide()
            except BaseException:
                self._evict(decision.held)  # the decision may have changed them half-way
                raise
            finally:
                self._decisions.current = None
            reads = [(i, decision.read_versions[i]) for i in decision.held if i != aggregate.id]
            for other, _ in reads:
                decision.held.remove(other)
                self.locks.release(other)
            if not aggregate.pending_events:
                return CommandResult(aggregate.id, aggregate.version, None, created_id)
            kwargs: dict[str, Any] = {READ_VERSIONS_KWARG: reads} if reads else {}
            if idempotency_key is not None:
                kwargs[COMMAND_LOG_KWARG] = CommandLogEntry(
                    actor.tenant, idempotency_key, type(command).__name__, fingerprint(command),
                    CommandResult(aggregate.id, aggregate.version, None, created_id))
            try:
                recordings = self.save(aggregate, **kwargs)
            except IntegrityError:
                self._evict([aggregate.id])
                if idempotency_key is not None:
                    replay = self._replay(actor, command, idempotency_key)
                    if replay is not None:
                        return replay
                if getattr(command, "expected_version", None) is not None:
                    raise ConflictError(
                        "expected_version",
                        "another change to this record was saved first; reload and retry",
                    ) from None
                raise RetryDecisionError("another process saved this record first") from None
            except BaseException:
                self._evict([aggregate.id])  # not saved, or not known to be: reload next time
                raise
            position = max((r.notification.id for r in recordings), default=None)
            return CommandResult(aggregate.id, aggregate.version, position, created_id)
        finally:
            for held in decision.held:
                self.locks.release(held)
            decision.held.clear()

    def _trusts_cache(self, command: BaseModel) -> bool:
        """Whether a first attempt may decide on the cached aggregates without reading what
        other processes saved since: only while this process seems to be the only writer
        (``writes_alone`` of the event store), and never for a command that sent an expected
        version (a stale cache would answer a false 409; its read ahead is kept)."""
        return (getattr(command, "expected_version", None) is None
                and bool(getattr(self.recorder, "writes_alone", False)))

    def _evict(self, aggregate_ids: list[UUID]) -> None:
        cache = self.repository.cache
        if cache is None:
            return
        for aggregate_id in aggregate_ids:
            with contextlib.suppress(KeyError):
                cache.get(aggregate_id, evict=True)

    def _replay(self, actor: Actor, command: BaseModel, key: str) -> CommandResult | None:
        entry = self.command_log.find_command(actor.tenant, key)
        if entry is None:
            return None
        if entry.fingerprint != fingerprint(command):
            raise IdempotencyKeyReusedError(
                "Idempotency-Key", f"was already used for a different {entry.command_name} command")
        return entry.result
