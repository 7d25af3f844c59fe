"""The ledger application: the event store plus the one loop every command handler runs.

The loop is where the cross-cutting promises live: tenant isolation on load, optimistic
concurrency (``expected_version``), idempotency keys written atomically with the events, and
automatic re-decision when a command without an expected version races another writer.
"""

import uuid
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, OperationalError, Transcoding
from pydantic import BaseModel

from aggregates.client import Client
from aggregates.errors import ConflictError, DomainError, NotFoundError
from aggregates.standard import Standard
from aggregates.tenanted import TenantAggregate
from commands.results import (
    COMMAND_LOG_KWARG,
    Actor,
    CommandLog,
    CommandLogEntry,
    CommandResult,
    fingerprint,
)
from events.vocabulary import ALL_ENUMS

A = TypeVar("A", bound=TenantAggregate)
ID_NAMESPACE = UUID("5b8a2f64-3f52-4a8e-9a52-4f1ad0c1e001")

MAX_ATTEMPTS = 5


class StoreBusyError(Exception):
    """The event store could not take its write lock in time; the caller should retry."""


class IdempotencyKeyReusedError(DomainError):
    pass


class EnumAsValue(Transcoding):
    """Stores an enum member as its value, so events stay readable JSON."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = f"enum:{enum_type.__name__}"

    def encode(self, obj: Enum) -> str:
        return cast(str, obj.value)

    def decode(self, data: str) -> Enum:
        return cast(Enum, self.type(data))


class DateAsISO(Transcoding):
    """Stores a calendar date as ``YYYY-MM-DD`` (the library only knows datetimes).

    The transcoder looks types up exactly, so a ``datetime`` still uses the library's own
    transcoding and never lands here.
    """

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Ledger(Application[UUID]):
    """The vCIO Ledger event-sourced application (kept thin: rules live in aggregates)."""

    name = "Ledger"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for enum_type in ALL_ENUMS:
            transcoder.register(EnumAsValue(enum_type))

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
            aggregate: Aggregate = self.repository.get(aggregate_id)
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

    def load_client(self, actor: Actor, client_id: UUID, expected_version: int | None = None) -> Client:
        return self.load(actor, Client, client_id, "client_id", expected_version)

    def load_standard(self, actor: Actor, standard_id: UUID,
                      expected_version: int | None = None) -> Standard:
        return self.load(actor, Standard, standard_id, "standard_id", expected_version)

    def execute(self, actor: Actor, command: BaseModel, idempotency_key: str | None,
                decide: Callable[[], Aggregate], created_id: UUID | None = None) -> CommandResult:
        """Decide and save, exactly once per idempotency key, never losing an update."""
        if idempotency_key is not None:
            replay = self._replay(actor, command, idempotency_key)
            if replay is not None:
                return replay
        expected_version = getattr(command, "expected_version", None)
        for attempt in range(MAX_ATTEMPTS):
            aggregate = decide()
            if not aggregate.pending_events:
                return CommandResult(aggregate.id, aggregate.version, None, created_id)
            kwargs: dict[str, Any] = {}
            if idempotency_key is not None:
                kwargs[COMMAND_LOG_KWARG] = CommandLogEntry(
                    actor.tenant, idempotency_key, type(command).__name__, fingerprint(command),
                    CommandResult(aggregate.id, aggregate.version, None, created_id))
            try:
                recordings = self.save(aggregate, **kwargs)
            except IntegrityError:
                if idempotency_key is not None:
                    replay = self._replay(actor, command, idempotency_key)
                    if replay is not None:
                        return replay
                if expected_version is not None or attempt == MAX_ATTEMPTS - 1:
                    raise ConflictError(
                        "expected_version",
                        "another change to this record was saved first; reload and retry",
                    ) from None
                continue
            except OperationalError as error:
                raise StoreBusyError(str(error)) from error
            position = max((r.notification.id for r in recordings), default=None)
            return CommandResult(aggregate.id, aggregate.version, position, created_id)
        raise AssertionError("unreachable")  # pragma: no cover

    def _replay(self, actor: Actor, command: BaseModel, key: str) -> CommandResult | None:
        entry = self.command_log.find_command(actor.tenant, key)
        if entry is None:
            return None
        if entry.fingerprint != fingerprint(command):
            raise IdempotencyKeyReusedError(
                "Idempotency-Key", f"was already used for a different {entry.command_name} command")
        return entry.result
