"""Event-store recorders that also keep the idempotency log, atomically with the events.

A command sent with an idempotency key writes one ``command_log`` row in the same transaction
as its events; a racing copy of the same command then fails on the row's unique key, rolls back
whole, and the handler answers with the first copy's stored result.
"""

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from commands.results import CommandLogEntry, CommandResult

from commands.results import COMMAND_LOG_KWARG


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder plus the command log table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_log_table = self.events_table_name.replace("_events", "") + "_command_log"
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
                " tenant text NOT NULL, idempotency_key text NOT NULL, command_name text NOT NULL,"
                " fingerprint text NOT NULL, result jsonb, recorded_at timestamptz DEFAULT now(),"
                " PRIMARY KEY (tenant, idempotency_key))"
            ).format(schema=Identifier(self.datastore.schema or "public"),
                     table=Identifier(self.command_log_table))
        )

    def _table(self) -> Any:
        return SQL("{}.{}").format(Identifier(self.datastore.schema or "public"),
                                   Identifier(self.command_log_table))

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        entry: CommandLogEntry | None = kwargs.get(COMMAND_LOG_KWARG)
        if entry is not None:
            curs.execute(
                SQL("INSERT INTO {} (tenant, idempotency_key, command_name, fingerprint)"
                    " VALUES (%s, %s, %s, %s)").format(self._table()),
                (entry.tenant, entry.idempotency_key, entry.command_name, entry.fingerprint),
            )
        super()._insert_events(curs, stored_events, **kwargs)

    def _fetch_ids_after_insert_events(self, curs: Cursor[DictRow],
                                       stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        entry: CommandLogEntry | None = kwargs.get(COMMAND_LOG_KWARG)
        if entry is not None:
            result = CommandResult(entry.result.aggregate_id, entry.result.version,
                                   max(ids) if ids else None, entry.result.created_id)
            curs.execute(
                SQL("UPDATE {} SET result = %s WHERE tenant = %s AND idempotency_key = %s").format(
                    self._table()),
                (result.to_json(), entry.tenant, entry.idempotency_key),
            )
        return ids

    def find_command(self, tenant: str, idempotency_key: str) -> CommandLogEntry | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT command_name, fingerprint, result::text AS result FROM {}"
                    " WHERE tenant = %s AND idempotency_key = %s").format(self._table()),
                (tenant, idempotency_key),
            )
            row = curs.fetchone()
        if row is None or row["result"] is None:
            return None
        return CommandLogEntry(tenant, idempotency_key, row["command_name"], row["fingerprint"],
                               CommandResult.from_json(row["result"]))


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


def _insert_without_retry(self: PostgresApplicationRecorder, stored_events: Sequence[StoredEvent],
                          **kwargs: Any) -> Sequence[int] | None:
    """Insert once: a lock timeout must reach the caller as 'busy, retry' rather than hang
    through the library's ten silent retries."""
    wrapped = PostgresApplicationRecorder.insert_events.__wrapped__  # type: ignore[attr-defined]
    return wrapped(self, stored_events, **kwargs)  # type: ignore[no-any-return]


PostgresLedgerRecorder.insert_events = _insert_without_retry  # type: ignore[method-assign]
