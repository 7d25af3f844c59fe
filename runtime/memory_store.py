"""The in-memory twin of the PostgreSQL event store (events and the idempotency log), for fast
unit tests; ``runtime.event_store:InMemoryLedgerFactory`` is its persistence-module topic."""

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult


class InMemoryLedgerRecorder(POPOApplicationRecorder):
    """In-memory twin of :class:`PostgresLedgerRecorder`, for fast unit tests."""

    def __init__(self) -> None:
        super().__init__()
        self._command_log: dict[tuple[str, str], CommandLogEntry] = {}
        self._log_lock = threading.Lock()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        entry: CommandLogEntry | None = kwargs.get(COMMAND_LOG_KWARG)
        with self._log_lock:
            if entry is not None and (entry.tenant, entry.idempotency_key) in self._command_log:
                raise IntegrityError("idempotency key already used")
            ids = self._insert_events(stored_events, **kwargs)
            if entry is not None:
                position = max(ids) if ids else None
                result = CommandResult(entry.result.aggregate_id, entry.result.version, position,
                                       entry.result.created_id)
                self._command_log[(entry.tenant, entry.idempotency_key)] = CommandLogEntry(
                    entry.tenant, entry.idempotency_key, entry.command_name, entry.fingerprint,
                    CommandResult.from_json(result.to_json()))
        self._notify_listeners()
        return ids

    def find_command(self, tenant: str, idempotency_key: str) -> CommandLogEntry | None:
        return self._command_log.get((tenant, idempotency_key))


class InMemoryLedgerFactory(POPOFactory):
    def application_recorder(self) -> InMemoryLedgerRecorder:
        return InMemoryLedgerRecorder()
