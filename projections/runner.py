"""The batch projector: follows the event log into one projection, exactly once per event.

Each batch runs in one REPEATABLE READ transaction that reads the log head and up to
``batch_size`` matching events, applies them, and moves the tracking position. Because the
event store commits in notification-id order (its writers take a table lock), every id at or
below the head seen in the snapshot is already visible, so the position can move to the head
even when no event in between concerned this projection. Within the batch, the projection
writes through a :class:`WriteBehindCursor`, which pipelines statements and sends runs of rows
together, so the server works while Python decodes the next events.

An event the projection cannot apply (a poison event) is written to the dead-letter table in
the same transaction and skipped; ``retry_dead_letters`` re-applies it once the code is fixed.
Only one process runs a projection at a time: the runner holds a session advisory lock.
"""

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any, cast
from uuid import UUID

import psycopg
from psycopg import Connection, Cursor, IsolationLevel
from psycopg.sql import SQL, Identifier

from projections.base import Projection
from projections.catalog import (
    CATALOG_SCHEMA,
    create_catalog,
    create_generation,
    generation_schema,
    lock_key,
    use_schema,
)
from projections.rows import fetch_row, fetch_value

log = logging.getLogger(__name__)

SCAN_WINDOW_BATCHES = 4


@dataclass(frozen=True)
class RawEvent:
    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


Decoder = Callable[[RawEvent], Any]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchOutcome:
    read: int
    applied: int
    dead: int
    position: int
    head: int


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    generation: int
    position: int
    head: int
    lag: int
    dead_letters: int
    runner_active: bool


class WriteBehindCursor:
    """The cursor a batch applies its events through: writes go out without waiting.

    Applied one statement at a time, a batch waits for a round trip per statement, and the
    server idles while Python decodes the next event. This cursor instead

    - sends statements in pipeline mode, so the server executes them while Python goes on;
    - holds back consecutive ``execute`` calls of one query and sends all but the last with
      ``executemany`` (one message), then the last with ``execute``;
    - holds back rows given to ``hold(writer, row)`` and hands each run to
      ``writer(cursor, rows)``, which writes it in one statement.

    Anything else done with the cursor (a fetch, ``rowcount``, iteration, ...) first sends
    what is held back and waits for every result, so it sees what it would have seen had each
    statement been sent alone, in order. What a projection can notice: the error of a failed
    statement surfaces later, at the next such wait or when the runner leaves the ``with``
    block at the end of its savepoint; the savepoint is still the one of the event(s) the
    statement came from, so poison events are told apart as before.

    Pipeline mode is left before any wait for results and before the savepoint ends (psycopg
    3.3's pipeline ``sync()`` can hang when a large message is still partly unsent; leaving
    pipeline mode flushes everything first).
    """

    def __init__(self, cursor: Cursor[Any]) -> None:
        self._cursor = cursor
        self._pipelined = psycopg.Pipeline.is_supported()
        self._pipeline: ExitStack | None = None
        self._query: Any = None
        self._writer: Callable[[Cursor[Any], list[Any]], None] | None = None
        self._held: list[Any] = []

    def __enter__(self) -> "WriteBehindCursor":
        return self

    def as_cursor(self) -> Cursor[Any]:
        """This object, typed as what ``Projection.apply`` takes (it behaves as one)."""
        return cast(Cursor[Any], self)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.sync()
            return
        self.discard()
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.__exit__(exc_type, exc, tb)

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> "WriteBehindCursor":
        if params is None or kwargs:
            self.flush()
            self._send().execute(query, params, **kwargs)
            return self
        if self._held and (self._writer is not None
                           or (query is not self._query and query != self._query)):
            self.flush()
        self._query = query
        self._held.append(dict(params) if isinstance(params, Mapping) else tuple(params))
        return self

    def hold(self, writer: Callable[[Cursor[Any], list[Any]], None], row: Any) -> None:
        """Hold back one row for ``writer``, which writes a run of rows in one go."""
        if self._held and self._writer is not writer:
            self.flush()
        self._writer = writer
        self._held.append(row)

    def flush(self) -> None:
        """Send whatever is held back (without waiting for its results)."""
        if not self._held:
            return
        query, writer, held = self._query, self._writer, self._held
        self.discard()
        cursor = self._send()
        if writer is not None:
            writer(cursor, held)
            return
        if len(held) > 1:
            cursor.executemany(query, held[:-1])
        cursor.execute(query, held[-1])

    def sync(self) -> None:
        """Send whatever is held back and wait for all results; raises the first error."""
        self.flush()
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()

    def discard(self) -> None:
        """Forget what is held back (it was sent, or its savepoint is being rolled back)."""
        self._query, self._writer, self._held = None, None, []

    def _send(self) -> Cursor[Any]:
        if self._pipelined and self._pipeline is None:
            self._pipeline = ExitStack()
            self._pipeline.enter_context(self._cursor.connection.pipeline())
        return self._cursor

    def __getattr__(self, name: str) -> Any:
        self.sync()
        return getattr(self._cursor, name)

    def __iter__(self) -> Any:
        self.sync()
        return iter(self._cursor)


class BatchProjector:
    """Runs one projection from the PostgreSQL event log."""

    def __init__(self, conninfo: str, projection: Projection, decode: Decoder,
                 events_table: str, batch_size: int = 1000) -> None:
        self.conninfo = conninfo
        self.projection = projection
        self.decode = decode
        self.events_table = events_table
        self.batch_size = batch_size
        self.name = projection.name

    # --- set-up --------------------------------------------------------------------------

    def connect(self, autocommit: bool = False) -> Connection[Any]:
        conn = psycopg.connect(self.conninfo, autocommit=autocommit)
        if not autocommit:
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
        return conn

    def ensure_created(self) -> None:
        """Create the catalog and the first generation of this projection, once; rebuild a
        live generation whose table shape is older than the projection's ``version``."""
        if self._ensure_registered():
            self._upgrade()

    def _ensure_registered(self) -> bool:
        """Register the projection if new; returns whether its live generation is stale."""
        with psycopg.connect(self.conninfo) as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-projection-catalog'))")
            create_catalog(cur)
            cur.execute(SQL("SELECT shape_version FROM {}.registry WHERE name = %s").format(
                Identifier(CATALOG_SCHEMA)), (self.name,))
            row = cur.fetchone()
            if row is not None:
                return int(row[0]) != self.projection.version
            schema = create_generation(cur, self.name, 1)
            use_schema(cur, schema)
            self.projection.create_tables(cur)
            cur.execute(SQL("INSERT INTO {}.registry (name, generation, shape_version)"
                            " VALUES (%s, 1, %s)").format(Identifier(CATALOG_SCHEMA)),
                        (self.name, self.projection.version))
            return False

    def _upgrade(self) -> None:
        """Rebuild a stale generation once, even when several processes start together."""
        with psycopg.connect(self.conninfo, autocommit=True) as lock_conn:
            key = f"vcio-projection-upgrade:{self.name}"
            lock_conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            try:
                row = lock_conn.execute(SQL("SELECT shape_version FROM {}.registry WHERE name = %s"
                                            ).format(Identifier(CATALOG_SCHEMA)),
                                        (self.name,)).fetchone()
                if row is not None and int(row[0]) != self.projection.version:
                    log.warning("projection %s: table shape %s is older than %s; rebuilding",
                                self.name, row[0], self.projection.version)
                    self.rebuild()
            finally:
                lock_conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    # --- one batch -----------------------------------------------------------------------

    def _events_table(self) -> Any:
        return SQL("public.{}").format(Identifier(self.events_table))

    def _batch(self, conn: Connection[Any], cur: Cursor[Any]) -> BatchOutcome:
        """Read, apply and track one batch inside the caller's transaction."""
        cur.execute("SELECT position FROM tracking FOR UPDATE")
        position = int(fetch_value(cur, f"tracking position of projection {self.name}"))
        cur.execute(SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(self._events_table()))
        head = int(fetch_value(cur, "event log head"))
        if head <= position:
            return BatchOutcome(0, 0, 0, position, head)
        # Scan a bounded window of the log: the planner reads and sorts the whole range it is
        # given, which made a long catch-up quadratic. Past a window with too few matching
        # events, the position moves to the window's end (all of it is visible, see above).
        upper = min(head, position + SCAN_WINDOW_BATCHES * self.batch_size)
        cur.execute(
            SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
                " WHERE notification_id > %s AND notification_id <= %s AND topic = ANY(%s)"
                " ORDER BY notification_id LIMIT %s").format(self._events_table()),
            (position, upper, list(self.projection.topics), self.batch_size),
            prepare=True, binary=True,
        )
        rows = [RawEvent(r[0], r[1], r[2], r[3], r[4]) for r in cur.fetchall()]
        dead = self._apply_all(conn, cur, rows)
        new_position = rows[-1].position if len(rows) == self.batch_size else upper
        cur.execute("UPDATE tracking SET position = %s, updated_at = now()", (new_position,))
        return BatchOutcome(len(rows), len(rows) - dead, dead, new_position, head)

    def _apply_all(self, conn: Connection[Any], cur: Cursor[Any], rows: list[RawEvent]) -> int:
        """Apply the batch in one savepoint; if any event fails, redo it event by event so
        that only the poison events are set aside.

        Writes go through a :class:`WriteBehindCursor`, which has sent everything and seen
        every result before its savepoint ends, so a failing write fails the savepoint of the
        event(s) it belongs to."""
        try:
            with conn.transaction(), WriteBehindCursor(cur) as writes:
                for raw in rows:
                    self.projection.apply(writes.as_cursor(), self.decode(raw), raw.position)
            return 0
        except Exception:  # noqa: BLE001 - any failure marks a poison event, handled below
            log.warning("projection %s: batch failed, isolating poison events", self.name)
        dead = 0
        for raw in rows:
            try:
                with conn.transaction(), WriteBehindCursor(cur) as writes:
                    self.projection.apply(writes.as_cursor(), self.decode(raw), raw.position)
            except Exception as error:  # noqa: BLE001 - recorded as a dead letter, not swallowed
                dead += 1
                self._record_dead_letter(cur, raw, error)
        return dead

    def _record_dead_letter(self, cur: Cursor[Any], raw: RawEvent, error: Exception) -> None:
        log.error("projection %s: dead letter at %s (%s): %r", self.name, raw.position, raw.topic, error)
        cur.execute(
            SQL("INSERT INTO {}.dead_letters (projection, position, topic, originator_id,"
                " originator_version, error) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (projection, position) DO UPDATE SET error = excluded.error,"
                " recorded_at = now(), resolved_at = NULL").format(Identifier(CATALOG_SCHEMA)),
            (self.name, raw.position, raw.topic, raw.originator_id, raw.originator_version,
             f"{type(error).__name__}: {error}"),
        )

    def run_once(self, conn: Connection[Any]) -> BatchOutcome:
        """One batch into the live generation; retried when a swap raced it."""
        while True:
            try:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR SHARE"
                                    ).format(Identifier(CATALOG_SCHEMA)), (self.name,))
                    generation = int(fetch_value(cur, f"registry entry of projection {self.name}"))
                    use_schema(cur, generation_schema(self.name, generation))
                    return self._batch(conn, cur)
            except psycopg.errors.SerializationFailure:
                continue

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply everything up to the current head; returns the number of events read."""
        total = 0
        with self.connect() as conn:
            while True:
                outcome = self.run_once(conn)
                total += outcome.read
                if progress:
                    progress(outcome.position, outcome.head)
                if outcome.position >= outcome.head:
                    return total

    # --- the long-running loop -----------------------------------------------------------

    def run(self, stop: threading.Event, idle_timeout: float = 1.0) -> None:
        """Follow the log until ``stop`` is set; stand by while another process holds the lock."""
        with self.connect(autocommit=True) as lock_conn:
            while not stop.is_set():
                row = lock_conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                        (lock_key(self.name),)).fetchone()
                if row and row[0]:
                    break
                stop.wait(2.0)
            if stop.is_set():
                return
            with self.connect(autocommit=True) as listen_conn, self.connect() as conn:
                listen_conn.execute(SQL("LISTEN {}").format(Identifier(self.events_table)))
                while not stop.is_set():
                    outcome = self.run_once(conn)
                    if outcome.position >= outcome.head:
                        for _ in listen_conn.notifies(timeout=idle_timeout, stop_after=1):
                            pass

    # --- rebuild aside, then swap ----------------------------------------------------------

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build a new generation from position 0 beside the live one, then swap it in.
        Reads keep being served by the old generation until the swap commits."""
        self._ensure_registered()
        with psycopg.connect(self.conninfo) as conn, conn.cursor() as cur:
            cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
                Identifier(CATALOG_SCHEMA)), (self.name,))
            old = int(fetch_value(cur, f"registry entry of projection {self.name}"))
            new = old + 1
            schema = create_generation(cur, self.name, new)
            use_schema(cur, schema)
            self.projection.create_tables(cur)
        with self.connect() as conn:
            while True:
                with conn.transaction(), conn.cursor() as cur:
                    use_schema(cur, schema)
                    outcome = self._batch(conn, cur)
                if progress:
                    progress(outcome.position, outcome.head)
                if outcome.position >= outcome.head:
                    break
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR UPDATE"
                                ).format(Identifier(CATALOG_SCHEMA)), (self.name,))
                use_schema(cur, schema)
                while True:
                    outcome = self._batch(conn, cur)
                    if outcome.position >= outcome.head:
                        break
                cur.execute(SQL("UPDATE {}.registry SET generation = %s, shape_version = %s,"
                                " swapped_at = now() WHERE name = %s").format(
                    Identifier(CATALOG_SCHEMA)), (new, self.projection.version, self.name))
        time.sleep(0.5)  # let readers that picked the old generation just before the swap finish
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                Identifier(generation_schema(self.name, old))))
        return new

    # --- dead letters and status -------------------------------------------------------------

    def retry_dead_letters(self) -> tuple[int, int]:
        """Re-apply unresolved dead letters to the live generation: (resolved, still failing)."""
        resolved = failing = 0
        with self.connect() as conn:
            ids = [r[0] for r in conn.execute(
                SQL("SELECT position FROM {}.dead_letters WHERE projection = %s AND resolved_at IS NULL"
                    " ORDER BY position").format(Identifier(CATALOG_SCHEMA)), (self.name,)).fetchall()]
            conn.commit()
            for position in ids:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR SHARE"
                                    ).format(Identifier(CATALOG_SCHEMA)), (self.name,))
                    generation = int(fetch_value(cur, f"registry entry of projection {self.name}"))
                    use_schema(cur, generation_schema(self.name, generation))
                    cur.execute(SQL("SELECT notification_id, originator_id, originator_version,"
                                    " topic, state FROM {} WHERE notification_id = %s").format(
                        self._events_table()), (position,))
                    r = fetch_row(cur, f"dead-lettered event {position}")
                    raw = RawEvent(r[0], r[1], r[2], r[3], bytes(r[4]))
                    try:
                        with conn.transaction():
                            self.projection.apply(cur, self.decode(raw), raw.position)
                    except Exception as error:  # noqa: BLE001 - kept as a dead letter
                        failing += 1
                        self._record_dead_letter(cur, raw, error)
                        continue
                    cur.execute(SQL("UPDATE {}.dead_letters SET resolved_at = now()"
                                    " WHERE projection = %s AND position = %s").format(
                        Identifier(CATALOG_SCHEMA)), (self.name, position))
                    resolved += 1
        return resolved, failing

    def status(self) -> ProjectionStatus:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            generation = int(fetch_value(
                conn.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
                    Identifier(CATALOG_SCHEMA)), (self.name,)),
                f"registry entry of projection {self.name}"))
            schema = generation_schema(self.name, generation)
            position = int(fetch_value(
                conn.execute(SQL("SELECT position FROM {}.tracking").format(Identifier(schema))),
                f"tracking position of projection {self.name}"))
            head = int(fetch_value(
                conn.execute(SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(
                    self._events_table())), "event log head"))
            dead = int(fetch_value(
                conn.execute(SQL("SELECT count(*) FROM {}.dead_letters WHERE projection = %s"
                                 " AND resolved_at IS NULL").format(Identifier(CATALOG_SCHEMA)),
                             (self.name,)), "dead-letter count"))
            acquired = fetch_value(conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                                (lock_key(self.name),)), "advisory lock result")
            if acquired:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (lock_key(self.name),))
        return ProjectionStatus(self.name, generation, position, head, max(head - position, 0),
                                dead, runner_active=not acquired)
