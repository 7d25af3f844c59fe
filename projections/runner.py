"""The batch projector: one read model, fed from the PostgreSQL event log exactly once per event.

A batch is a window of the log read once (see :mod:`projections.feed`, which reads it for
every read model together, and :mod:`projections.log_window`) and applied here in one
transaction per read model, which also moves the tracking position, to the window's end even
when no event in it concerned this read model.

Each event is contained: the batch is first applied in one savepoint; if anything in it
fails, the savepoint (and the write-behind buffer) is rolled back whole and the batch is
applied again one event per savepoint, so only the events that fail are set aside, as dead
letters (:mod:`projections.dead_letters`), and the batch and its position go on.
``retry_dead_letters`` re-applies them once the code is fixed.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier

from projections.base import Projection, RawEvent
from projections.catalog import (
    CATALOG_SCHEMA,
    create_catalog,
    create_generation,
    generation_schema,
    use_schema,
)
from projections.copy_binary import TableTypes
from projections.dead_letters import record_dead_letter
from projections.log_window import DecodedEvents, Decoder, read_window
from projections.rows import fetch_row, fetch_value
from projections.write_behind import WriteBehindCursor

__all__ = ["BatchProjector", "BatchOutcome", "ProjectionStatus", "RawEvent"]

log = logging.getLogger(__name__)

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
    runner_error: str | None = None

    @property
    def stuck(self) -> bool:
        """Behind the log with nobody following it, or with its runner failing."""
        return self.lag > 0 and (not self.runner_active or self.runner_error is not None)


class BatchProjector:
    """One read model: its generations, how a window of events is applied, its dead letters."""

    def __init__(self, conninfo: str, projection: Projection, decode: Decoder,
                 events_table: str, batch_size: int = 1000) -> None:
        self.conninfo = conninfo
        self.projection = projection
        self.decode = decode
        self.events_table = events_table
        self.batch_size = batch_size
        self.name = projection.name
        self.topics = frozenset(projection.topics)
        self._table_types: dict[int, TableTypes] = {}

    # --- set-up --------------------------------------------------------------------------

    def connect(self, autocommit: bool = False) -> Connection[Any]:
        return psycopg.connect(self.conninfo, autocommit=autocommit,
                               application_name=f"vcio-projection:{self.name}"[:63])

    def ensure_created(self) -> None:
        """Create the catalog and the first generation of this projection, once; rebuild a
        live generation whose table shape is older than the projection's ``version``."""
        if self.ensure_registered():
            self._upgrade()

    def ensure_registered(self, conn: Connection[Any] | None = None) -> bool:
        """Register the projection if new; returns whether its live generation is stale. On
        ``conn`` when given (a rebuild registers all its read models on one connection)."""
        if conn is None:
            with psycopg.connect(self.conninfo) as own:
                return self.ensure_registered(own)
        with conn.transaction(), conn.cursor() as cur:
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
        from projections.rebuild import rebuild_all

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
                    rebuild_all([self])
            finally:
                lock_conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    # --- one window of the log -------------------------------------------------------------

    def events_sql(self) -> Any:
        return SQL("public.{}").format(Identifier(self.events_table))

    @contextmanager
    def live(self, conn: Connection[Any]) -> Iterator[tuple[Cursor[Any], int]]:
        """A transaction on the live generation (a swap waits for it): (cursor, generation)."""
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR SHARE"
                            ).format(Identifier(CATALOG_SCHEMA)), (self.name,))
            generation = int(fetch_value(cur, f"registry entry of projection {self.name}"))
            use_schema(cur, generation_schema(self.name, generation))
            yield cur, generation

    def apply_window(self, conn: Connection[Any], cur: Cursor[Any], generation: int,
                     rows: list[RawEvent], end: int, events: DecodedEvents) -> tuple[int, int, int]:
        """Apply this read model's events of ``rows`` that are past its position, then move its
        position to ``end``, inside the caller's transaction: (applied, dead, new position)."""
        cur.execute("SELECT position FROM tracking FOR UPDATE")
        position = int(fetch_value(cur, f"tracking position of projection {self.name}"))
        if end <= position:
            return 0, 0, position
        mine = [r for r in rows if r.position > position and r.topic in self.topics]
        dead = self._apply_all(conn, cur, generation, mine, events) if mine else 0
        cur.execute("UPDATE tracking SET position = %s, updated_at = now()", (end,))
        return len(mine) - dead, dead, end

    def table_types(self, generation: int) -> TableTypes:
        """The column types of ``generation``'s tables, as far as looked up yet."""
        found = self._table_types.get(generation)
        if found is None:
            found = self._table_types[generation] = TableTypes()
        return found

    def _apply_all(self, conn: Connection[Any], cur: Cursor[Any], generation: int,
                   rows: list[RawEvent], events: DecodedEvents) -> int:
        """Apply the events in one savepoint; if any fails, redo them one savepoint each so
        that only the poison events are set aside. The write-behind cursor has sent every
        write and seen every result before its savepoint ends, so a failing write fails the
        savepoint of the event(s) it belongs to, and its buffer is dropped with it. A failure
        that lost the connection blames no event (no dead letter could be stored anyway): it
        is raised as it is, and a runner starts again or a rebuild stops."""
        projection = self.projection
        apply = projection.apply
        types = self.table_types(generation)
        try:
            decoded = events.all(rows)
            with conn.transaction(), WriteBehindCursor(cur, types) as writes:
                target = writes.as_cursor()
                with projection.batch(target, decoded):
                    for raw, event in zip(rows, decoded, strict=True):
                        apply(target, event, raw.position)
            return 0
        except Exception:  # noqa: BLE001 - any failure marks a poison event, handled below
            projection.batch_failed()
            if conn.broken:
                raise  # the connection was lost: no event is to blame (a runner starts again)
            log.warning("projection %s: batch failed, isolating poison events", self.name)
        dead = 0
        for raw in rows:
            try:
                with conn.transaction(), WriteBehindCursor(cur, types) as writes:
                    event = events.event(raw)
                    target = writes.as_cursor()
                    with projection.batch(target, [event]):
                        apply(target, event, raw.position)
            except Exception as error:  # noqa: BLE001 - recorded as a dead letter, not swallowed
                if conn.broken:
                    projection.batch_failed()
                    raise
                dead += 1
                record_dead_letter(conn, cur, self.name, generation, raw, error)
        return dead

    # --- one read model on its own -----------------------------------------------------------

    def run_once(self, conn: Connection[Any]) -> BatchOutcome:
        """One window of the log into the live generation of this read model alone."""
        with self.live(conn) as (cur, generation):
            cur.execute("SELECT position FROM tracking")
            after = int(fetch_value(cur, f"tracking position of projection {self.name}"))
            rows, end, head = read_window(cur, self.events_sql(), after, self.topics,
                                          self.batch_size)
            if end <= after:
                return BatchOutcome(0, 0, 0, after, head)
            applied, dead, position = self.apply_window(conn, cur, generation, rows, end,
                                                        DecodedEvents(self.decode))
            return BatchOutcome(applied + dead, applied, dead, position, head)

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

    def run(self, stop: threading.Event) -> None:
        """Follow the log into this read model alone until ``stop`` is set, restarting after
        failures; stands by while another process holds its runner lock."""
        from projections.feed import LogFollower, supervise

        supervise(LogFollower([self]), stop)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build a new generation from position 0 beside the live one, then swap it in."""
        from projections.rebuild import rebuild_all

        return rebuild_all([self], progress)[self.name]

    # --- dead letters and status -------------------------------------------------------------

    def retry_dead_letters(self) -> tuple[int, int]:
        """Re-apply unresolved dead letters to the live generation: (resolved, still failing)."""
        resolved = failing = 0
        with self.connect() as conn:
            with self.live(conn) as (cur, generation):
                cur.execute(SQL("SELECT position FROM {}.dead_letters WHERE projection = %s"
                                " AND resolved_at IS NULL AND (generation IS NULL OR generation = %s)"
                                " ORDER BY position").format(Identifier(CATALOG_SCHEMA)),
                            (self.name, generation))
                ids = [r[0] for r in cur.fetchall()]
            for position in ids:
                with self.live(conn) as (cur, generation):
                    cur.execute(SQL("SELECT notification_id, originator_id, originator_version,"
                                    " topic, state FROM {} WHERE notification_id = %s").format(
                        self.events_sql()), (position,))
                    r = fetch_row(cur, f"dead-lettered event {position}")
                    raw = RawEvent(r[0], r[1], r[2], r[3], bytes(r[4]))
                    try:
                        with conn.transaction(), WriteBehindCursor(
                                cur, self.table_types(generation)) as writes:
                            self.projection.apply(writes.as_cursor(), self.decode(raw), raw.position)
                    except Exception as error:  # noqa: BLE001 - kept as a dead letter
                        failing += 1
                        record_dead_letter(conn, cur, self.name, generation, raw, error)
                        continue
                    cur.execute(SQL("UPDATE {}.dead_letters SET resolved_at = now()"
                                    " WHERE projection = %s AND position = %s").format(
                        Identifier(CATALOG_SCHEMA)), (self.name, position))
                    resolved += 1
        return resolved, failing

    def status(self) -> ProjectionStatus:
        from projections.health import read_model_states

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            [state] = read_model_states(conn, self.events_table, [self.name])
        return state
