"""Event-store recorders that also keep the idempotency log, atomically with the events.

A command sent with an idempotency key writes one ``command_log`` row in the same transaction
as its events; a racing copy of the same command then fails on the row's unique key, rolls back
whole, and the handler answers with the first copy's stored result.

The PostgreSQL recorder also inserts a save's events as four binary column arrays
(``unnest(uuid[], bigint[], text[], bytea[])``) instead of the library's array of composite
values, whose text encoding escapes every byte of every state in Python and cost more than
half of a 300-event save. Table lock, NOTIFY and notification-id order are unchanged.

:class:`FastJSONTranscoder` writes the same JSON bytes as the library's transcoder, only
faster; it is chosen with ``TRANSCODER_TOPIC`` where the application environment is built.
"""

import math
import re
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, JSONTranscoder, StoredEvent, Transcoding
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult

_JSON_NATIVE = (str, int, float, list, tuple, dict)
_MISSING = object()
_IMMUTABLE = (UUID, datetime, date, Decimal)


class _NotOnFastPath(Exception):
    """A value the fast writer leaves to the library's encoder (same output, slower)."""


# A JSON ``\u0000`` escape: preceded by an even number of backslashes (escaped backslashes).
_NUL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")


def without_nul(data: bytes) -> bytes:
    """A stored event state with every NUL in its text replaced by U+FFFD.

    Events recorded before command text was checked may hold NUL, which PostgreSQL ``text`` and
    ``jsonb`` columns refuse; read on, they would stop every read model that copies the text.
    Replaced while decoding, such events keep loading, and the log itself stays untouched."""
    if b"\\u0000" not in data:
        return data
    return _NUL_ESCAPE.sub(rb"\1\\ufffd", data)


class FastJSONTranscoder(JSONTranscoder):
    """The library's JSON transcoder with a faster writer for event states.

    The library's encoder calls back into Python for every UUID, datetime and enum and then
    walks the returned dict again; that was half the cost of saving a batch of answers.
    This writer produces byte for byte the same text (compact separators, ``ensure_ascii``
    off, ``{"_type_": name, "_data_": ...}`` for registered types) by dispatching on exact
    types. Whatever it does not handle exactly like the library (subclasses of JSON types,
    non-text keys, NaN, unregistered types, cycles) goes to the library's encoder, so stored
    events, and the errors for unstorable ones, stay what they were. The text of an immutable
    value (UUID, datetime, date, Decimal, enum member) is remembered for that very object (by
    identity, holding a reference so the identity stays its own): the events of one command
    share the same review id, observation time and answers.

    Decoding is the library's, except that immutable values that are slow to build (ids,
    amounts, enum members) are remembered by their stored text: a batch of answers names the
    same review and standards over and over, and building a UUID costs more than parsing the
    JSON. Timestamps are not remembered: most are unique and they are quick to parse.
    """

    CACHE_SIZE = 20_000
    CACHEABLE = (UUID, Decimal, Enum)

    def __init__(self) -> None:
        super().__init__()
        self._tagged: dict[type, tuple[str, Callable[[Any], Any], bool]] = {}
        self._written: dict[int, tuple[Any, str]] = {}
        self._write = self._writer()
        self._decoded: dict[tuple[Any, Any], Any] = {}

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._tagged.clear()
        self._written.clear()
        self._decoded.clear()

    def encode(self, obj: Any) -> bytes:
        try:
            return self._write(obj).encode("utf8")
        except (_NotOnFastPath, RecursionError, TypeError):
            return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        return super().decode(without_nul(data))

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        if len(d) != 2:
            return d
        try:
            value = self._decoded.get((d.get("_type_"), d.get("_data_")), _MISSING)
        except TypeError:  # unhashable data: the library decides
            value = _MISSING
        if value is not _MISSING:
            return value
        value = super()._decode_obj(d)
        if value is not d and isinstance(value, self.CACHEABLE) and type(d["_data_"]) is str:
            if len(self._decoded) >= self.CACHE_SIZE:
                self._decoded.clear()
            self._decoded[d["_type_"], d["_data_"]] = value
        return value

    def _writer(self) -> Callable[[Any], str]:
        types, tagged, memo, esc = self.types, self._tagged, self._written, encode_basestring
        int_repr, float_repr, isfinite = int.__repr__, float.__repr__, math.isfinite

        def value(o: Any) -> str:
            t = type(o)
            if t is str:
                return esc(o)
            tag = tagged.get(t)
            if tag is not None:
                if tag[2]:
                    seen = memo.get(id(o))
                    if seen is not None and seen[0] is o:
                        return seen[1]
                data = tag[1](o)
                text = tag[0] + (esc(data) if type(data) is str else value(data)) + "}"
                if tag[2]:
                    if len(memo) >= self.CACHE_SIZE:
                        memo.clear()
                    memo[id(o)] = (o, text)
                return text
            if t is dict:
                # esc() rejects non-text keys with TypeError: the library's encoder decides.
                return "{" + ",".join([esc(k) + ":" + value(v) for k, v in o.items()]) + "}"
            if t is int:
                return int_repr(o)
            if o is None:
                return "null"
            if o is True:
                return "true"
            if o is False:
                return "false"
            if t is list or t is tuple:
                return "[" + ",".join([value(v) for v in o]) + "]"
            if t is float and isfinite(o):
                return float_repr(o)
            transcoding = types.get(t)
            if transcoding is None or isinstance(o, _JSON_NATIVE):
                raise _NotOnFastPath
            immutable = t in _IMMUTABLE or issubclass(t, Enum)
            tagged[t] = ('{"_type_":' + esc(transcoding.name) + ',"_data_":', transcoding.encode,
                         immutable)
            return value(o)

        return value


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
        # The library's SET LOCAL lock_timeout, LOCK TABLE and NOTIFY, sent as one message.
        self.lock_and_notify_statement = SQL("; ").join(
            [*self.lock_table_statements, SQL("NOTIFY {}").format(Identifier(self.channel_name))])
        # WITH ORDINALITY ... ORDER BY: notification ids follow the order of the events given,
        # which the event store relies on when it pairs ids with events.
        self.insert_columns_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            " WITH ORDINALITY AS e(originator_id, originator_version, topic, state, n)"
            " ORDER BY n RETURNING notification_id"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name),
                 id_type=Identifier(self.datastore.originator_id_type))

    def _table(self) -> Any:
        return SQL("{}.{}").format(Identifier(self.datastore.schema or "public"),
                                   Identifier(self.command_log_table))

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        entry: CommandLogEntry | None = kwargs.get(COMMAND_LOG_KWARG)
        if entry is not None:
            # Sent on its own (insert_events uses no pipeline), so a racing copy's unique
            # violation is raised here, before any event is sent, as an IntegrityError.
            curs.execute(
                SQL("INSERT INTO {} (tenant, idempotency_key, command_name, fingerprint)"
                    " VALUES (%s, %s, %s, %s)").format(self._table()),
                (entry.tenant, entry.idempotency_key, entry.command_name, entry.fingerprint),
            )
        super()._insert_events(curs, stored_events, **kwargs)

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """Insert once, in one transaction, without pipeline mode.

        Once, not the library's ten silent retries: a lock timeout must reach the caller as
        'busy, retry' rather than hang. Without pipeline mode: psycopg 3.3's ``Pipeline.sync()``
        stops flushing when the last queued statement does not fit the socket buffers (here
        from about 1 MB: a thousand answers in the library's encoding, a few thousand in
        ours), then waits for results of a query the server never fully got, holding the
        table lock for ever. Errors come from the statement that fails, so a reused
        idempotency key fails before any event is sent.
        """
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> None:
        curs.execute(self.lock_and_notify_statement)
        curs.execute(
            self.insert_columns_statement,
            ([e.originator_id for e in stored_events],
             [e.originator_version for e in stored_events],
             [e.topic for e in stored_events],
             [e.state for e in stored_events]),
            prepare=True,
        )

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
