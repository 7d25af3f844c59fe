"""Event-store recorders that also keep the idempotency log, atomically with the events.

A command sent with an idempotency key writes one ``command_log`` row in the same transaction
as its events; a racing copy of the same command then fails on the row's unique key, its save
is undone whole, and the handler answers with the first copy's stored result. Concurrent saves
are written together (:mod:`runtime.group_commit`): one table lock and one commit for many
commands, each still with its own idempotency record, ids and conflict answer.

The PostgreSQL recorder also inserts a save's events as four binary column arrays
(``unnest(uuid[], bigint[], text[], bytea[])``) instead of the library's array of composite
values, whose text encoding escapes every byte of every state in Python and cost more than
half of a 300-event save; a large group goes in by binary ``COPY`` instead, with its ids
counted on from the sequence's last value read under the table lock (``runtime.group_writer``).
Table lock, NOTIFY and notification-id order are unchanged.

Reads (loads, fast-forwards, the log head for ``/health``, idempotency look-ups) call the
library's queries without its retry decorator (``__wrapped__``: ten tries 0.2 s apart, each
waiting up to the pool timeout), tried once more only after an instant failure and with the
pool's dead connections dropped first, so a lost database answers 503 within about the pool
timeout instead of holding the request for 12 s, and a restarted one answers at once. Writes
are tried once more only when they certainly did not commit (:mod:`runtime.commit_outcome`).

Library settings: a replaced ``insert_events_statement`` is honoured (used with the library's
composite-array parameter); ``POSTGRES_ENABLE_DB_FUNCTIONS`` is refused when the store is built
(the library's function inserts without the table lock that orders notification ids).

:class:`FastJSONTranscoder` (in :mod:`runtime.transcoder`, re-exported here for the
``TRANSCODER_TOPIC`` of existing configurations) writes the same JSON bytes as the library's
transcoder, only faster.
"""

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from commands.results import CommandLogEntry, CommandResult
from runtime.group_commit import GroupCommit
from runtime.group_writer import GroupWriter
from runtime.memory_store import InMemoryLedgerFactory, InMemoryLedgerRecorder
from runtime.transcoder import FastJSONTranscoder

__all__ = ["FastJSONTranscoder", "InMemoryLedgerFactory", "InMemoryLedgerRecorder",
           "PostgresLedgerRecorder"]

T = TypeVar("T")
QUICK_FAILURE_SECONDS = 0.1
SETTLE_SECONDS = 1.0


LIBRARY_CONNECTION_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def read_once_more_if_quick(read: Callable[[], T],
                            before_retry: Callable[[], None] = lambda: None,
                            errors: tuple[type[Exception], ...] = LIBRARY_CONNECTION_ERRORS) -> T:
    """A read, tried again once if it failed at once (a pooled connection that a restarted
    server had closed), instead of the library's ten retries 0.2 s apart: each waits up to the
    pool timeout, so a lost database held a request for 12 s instead of answering 503.
    ``before_retry`` drops the pool's other stale connections, so the retry gets a live one.
    ``errors``: the library's connection errors, or psycopg's for a read made without it."""
    started = time.monotonic()
    try:
        return read()
    except errors:
        if time.monotonic() - started > QUICK_FAILURE_SECONDS:
            raise
    before_retry()
    return read()


class UnsupportedSettingError(ValueError):
    """A library setting this event store cannot honour; refused when the store is built."""


class PostgresLedgerRecorder(GroupWriter, PostgresApplicationRecorder):
    """The library's PostgreSQL recorder plus the command log table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.datastore.enable_db_functions:
            raise UnsupportedSettingError(
                "POSTGRES_ENABLE_DB_FUNCTIONS is not supported by the vCIO Ledger's event store"
                " (runtime.event_store:PostgresLedgerRecorder): the library's database function"
                " inserts events without the table lock that keeps notification ids in commit"
                " order, which the read models rely on, and without the idempotency record;"
                " unset POSTGRES_ENABLE_DB_FUNCTIONS")
        # How long a COMMIT whose answer was lost may stay "in progress" before it is unknown.
        self.settle_seconds = SETTLE_SECONDS
        # Honoured if replaced: _write_together then inserts with it, the library's way.
        self.library_insert_statement = self.insert_events_statement
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
        # BEGIN, this transaction's id (to settle a lost COMMIT), then the library's SET LOCAL
        # lock_timeout, LOCK TABLE and NOTIFY: where a transaction is not one message.
        self.begin_xid_statement = SQL("BEGIN; SELECT pg_current_xact_id()::text AS xid")
        self.lock_write_statements: list[Any] = [*self.lock_table_statements,
                                      SQL("NOTIFY {}").format(Identifier(self.channel_name))]
        self.begin_write_statement = SQL("; ").join(
            [self.begin_xid_statement, *self.lock_write_statements])
        self.insert_columns_statement = self._insert_from_columns(SQL("%b"))
        # The same with text parameters, sent with BEGIN in one message (runtime.group_writer).
        self.insert_columns_text_statement = self._insert_from_columns(SQL("%s"))
        self.insert_log_statement = SQL(
            "INSERT INTO {} (tenant, idempotency_key, command_name, fingerprint)"
            " SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])"
        ).format(self._table())
        self.update_log_statement = SQL(
            "UPDATE {} AS log SET result = v.result::jsonb"
            " FROM unnest(%s::text[], %s::text[], %s::text[]) AS v(tenant, key, result)"
            " WHERE log.tenant = v.tenant AND log.idempotency_key = v.key"
        ).format(self._table())
        # The same, with each result's position: the notification id of its save's last event,
        # inserted earlier in the same transaction (none for a save without events).
        self.update_log_positions_statement = self._on_events(
            "UPDATE {log} AS log"
            " SET result = v.result::jsonb || jsonb_build_object('position', e.notification_id)"
            " FROM unnest(%s::text[], %s::text[], %s::text[], %s::{id_type}[], %s::bigint[])"
            " AS v(tenant, key, result, originator_id, originator_version)"
            " LEFT JOIN {schema}.{table} AS e ON e.originator_id = v.originator_id"
            " AND e.originator_version = v.originator_version"
            " WHERE log.tenant = v.tenant AND log.idempotency_key = v.key", log=self._table())
        # The staleness check of a save's reads: inserts nothing while every aggregate read is
        # still at the version decided on, and breaks the events' unique key (IntegrityError,
        # the save decided again) if one has a newer event; it runs under the table lock.
        self.check_reads_statement = self._on_events(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT e.originator_id, e.originator_version, e.topic, e.state"
            " FROM unnest(%s::{id_type}[], %s::bigint[]) AS r(id, version)"
            " JOIN {schema}.{table} AS e"
            " ON e.originator_id = r.id AND e.originator_version = r.version + 1")
        self.find_command_statement = SQL(
            "SELECT command_name, fingerprint, result::text AS result FROM {}"
            " WHERE tenant = %s AND idempotency_key = %s").format(self._table())
        self.select_after_statement = self._on_events(
            "SELECT e.originator_id, e.originator_version, e.topic, e.state"
            " FROM unnest(%s::{id_type}[], %s::bigint[]) AS w(id, version)"
            " JOIN {schema}.{table} AS e"
            " ON e.originator_id = w.id AND e.originator_version > w.version"
            " ORDER BY e.originator_id, e.originator_version")
        # A one-message group whose answer was lost: what the log holds under its events' keys.
        self.select_stored_statement = self._on_events(
            "SELECT e.notification_id, e.topic, e.state"
            " FROM unnest(%s::{id_type}[], %s::bigint[]) WITH ORDINALITY AS w(id, version, n)"
            " JOIN {schema}.{table} AS e"
            " ON e.originator_id = w.id AND e.originator_version = w.version ORDER BY w.n")
        # The ids of a group whose COMMIT was answered by a lost connection but did commit.
        self.select_ids_statement = self._on_events(
            "SELECT e.notification_id"
            " FROM unnest(%s::{id_type}[], %s::bigint[]) WITH ORDINALITY AS w(id, version, n)"
            " JOIN {schema}.{table} AS e"
            " ON e.originator_id = w.id AND e.originator_version = w.version ORDER BY w.n")
        # A large group is loaded by binary COPY (runtime.group_writer).
        self.copy_events_statement = SQL(
            "COPY {schema}.{table} (originator_id, originator_version, topic, state)"
            " FROM STDIN (FORMAT BINARY)"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        sequence = SQL("pg_get_serial_sequence(format('%I.%I', {}, {}), 'notification_id')").format(
            Literal(self.datastore.schema), Literal(self.events_table_name))
        # The id sequence's last value: a COPY's rows take the ids after it.
        self.last_id_statement = SQL(
            "SELECT pg_sequence_last_value({}::regclass) AS last_id").format(sequence)
        self.begin_copy_statement = SQL("; ").join([self.begin_write_statement,
                                                    self.last_id_statement])
        self.sequence_shape_statement = SQL(
            "SELECT increment_by, cache_size FROM pg_sequences"
            " WHERE format('%I.%I', schemaname, sequencename)::regclass = {}::regclass"
        ).format(sequence)
        self.group_commit = GroupCommit(self._write_group)

    def _on_events(self, text: str, **more: Composable) -> Composed:
        """``text`` with ``{schema}``, ``{table}`` and ``{id_type}`` naming this store's events."""
        return SQL(text).format(schema=Identifier(self.datastore.schema),
                                table=Identifier(self.events_table_name),
                                id_type=Identifier(self.datastore.originator_id_type), **more)

    def select_events(self, originator_id: Any, **kwargs: Any) -> Sequence[StoredEvent]:
        read = PostgresApplicationRecorder.select_events.__wrapped__
        return read_once_more_if_quick(lambda: read(self, originator_id, **kwargs),
                                       self.datastore.pool.check)

    def select_events_after(self, versions: Sequence[tuple[Any, int]]) -> Sequence[StoredEvent]:
        """The events after the given version of each given originator, in one query (a command
        brings the aggregates it names up to date in one round trip)."""
        def read() -> list[StoredEvent]:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self.select_after_statement,
                             ([i for i, _ in versions], [v for _, v in versions]), prepare=True)
                return [StoredEvent(originator_id=row["originator_id"],
                                    originator_version=row["originator_version"],
                                    topic=row["topic"], state=bytes(row["state"]))
                        for row in curs.fetchall()]

        return read_once_more_if_quick(read, self.datastore.pool.check)

    def select_notifications(self, *args: Any, **kwargs: Any) -> Sequence[Notification]:
        read = PostgresApplicationRecorder.select_notifications.__wrapped__
        return read_once_more_if_quick(lambda: read(self, *args, **kwargs),
                                       self.datastore.pool.check)

    def max_notification_id(self) -> int | None:
        read = PostgresApplicationRecorder.max_notification_id.__wrapped__
        head: int | None = read_once_more_if_quick(lambda: read(self), self.datastore.pool.check)
        return head

    def _insert_from_columns(self, param: SQL) -> Composed:
        """Insert the events given as four arrays (``param``: ``%b`` binary or ``%s`` text).
        WITH ORDINALITY ... ORDER BY: notification ids follow the order of the events given,
        which the event store relies on when it pairs ids with events."""
        return SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest({p}::{id_type}[], {p}::bigint[], {p}::text[], {p}::bytea[])"
            " WITH ORDINALITY AS e(originator_id, originator_version, topic, state, n)"
            " ORDER BY n RETURNING notification_id"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name),
                 id_type=Identifier(self.datastore.originator_id_type), p=param)

    def _table(self) -> Any:
        return SQL("{}.{}").format(Identifier(self.datastore.schema or "public"),
                                   Identifier(self.command_log_table))

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """Insert in a group commit (see :mod:`runtime.group_commit`), in one transaction.

        Once, not the library's ten silent retries: a lock timeout must reach the caller as
        'busy, retry' rather than hang. Without pipeline mode: psycopg 3.3's ``Pipeline.sync()``
        stops flushing when the last queued statement does not fit the socket buffers (here
        from about 1 MB), then waits for results of a query the server never fully got,
        holding the table lock for ever.
        """
        return self.group_commit.save(stored_events, **kwargs)

    def find_command(self, tenant: str, idempotency_key: str) -> CommandLogEntry | None:
        def read() -> Any:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self.find_command_statement, (tenant, idempotency_key))
                return curs.fetchone()

        row = read_once_more_if_quick(read, self.datastore.pool.check)
        if row is None or row["result"] is None:
            return None
        return CommandLogEntry(tenant, idempotency_key, row["command_name"], row["fingerprint"],
                               CommandResult.from_json(row["result"]))
