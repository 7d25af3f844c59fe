"""The projection catalog: which schema generation of each projection is live, and dead letters.

Readers find a projection's live generation in ``vcio_projections.registry`` and set their
``search_path`` to it; a rebuild writes generation N+1 aside and swaps the registry row. A
reader remembers each live generation for ``LIVE_GENERATION_TTL`` seconds, less than the grace a
rebuild leaves before it drops the generation it swapped out, so a remembered generation is
never one already dropped, and a swap shows in every process within that time.
"""

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection, Cursor
from psycopg.rows import class_row
from psycopg.sql import SQL, Identifier, Literal
from psycopg_pool import ConnectionPool

CATALOG_SCHEMA = "vcio_projections"
LIVE_GENERATION_TTL = 0.25  # seconds; below projections.rebuild.SWAP_GRACE_SECONDS


def generation_schema(name: str, generation: int) -> str:
    return f"proj_{name}_g{generation}"


def lock_key(name: str) -> str:
    return f"vcio-projection:{name}"


def output_only(cur: Cursor[Any], table: str, columns: tuple[str, ...]) -> None:
    """Columns of ``table`` that queries only read out (never filter, join, group or sort
    on): ``ANALYZE`` skips them (statistics target 0). A rebuild analyses each generation
    it built before reads reach it; on the wide tables that grow with every answer, sorting
    sampled summaries and notes was most of that (measured: the timeline's ANALYZE)."""
    cur.execute(SQL("ALTER TABLE {} {}").format(Identifier(table), SQL(", ").join(
        SQL("ALTER COLUMN {} SET STATISTICS 0").format(Identifier(c)) for c in columns)))


def drop_primary_key(cur: Cursor[Any], table: str) -> None:
    """Drop the primary key of ``table``, just created and still empty, for a rebuild that
    loads it with COPY only (nothing it runs needs the key: no ``ON CONFLICT``, no lookup
    by it) and adds it back after the load with :func:`add_primary_key`: one sort instead
    of a B-tree insert per row. Named as PostgreSQL names it (``<table>_pkey``)."""
    cur.execute(SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
        Identifier(table), Identifier(f"{table}_pkey")))


def add_primary_key(cur: Cursor[Any], table: str, columns: tuple[str, ...]) -> None:
    """Add the primary key :func:`drop_primary_key` dropped, unless ``table`` has one (one
    statement, nothing to fetch: it may run again, as after a rebuild that gave up its
    memory part-way)."""
    body = SQL("BEGIN IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = {}::regclass"
               " AND contype = 'p') THEN ALTER TABLE {} ADD PRIMARY KEY ({}); END IF; END").format(
        Literal(table), Identifier(table), SQL(", ").join(map(Identifier, columns)))
    cur.execute(SQL("DO {}").format(Literal(body.as_string())))


def create_catalog(cur: Cursor[Any]) -> None:
    cur.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(CATALOG_SCHEMA)))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.registry ("
        " name text PRIMARY KEY, generation int NOT NULL, swapped_at timestamptz DEFAULT now())"
    ).format(Identifier(CATALOG_SCHEMA)))
    cur.execute(SQL("ALTER TABLE {}.registry ADD COLUMN IF NOT EXISTS shape_version int NOT NULL"
                    " DEFAULT 1").format(Identifier(CATALOG_SCHEMA)))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.dead_letters ("
        " id bigserial PRIMARY KEY, projection text NOT NULL, position bigint NOT NULL,"
        " topic text NOT NULL, originator_id uuid, originator_version int, error text NOT NULL,"
        " recorded_at timestamptz NOT NULL DEFAULT now(), resolved_at timestamptz,"
        " UNIQUE (projection, position))"
    ).format(Identifier(CATALOG_SCHEMA)))
    # Which generation a dead letter belongs to (a rebuild's letters are its own), and what
    # stopped a runner last (cleared once it applies a batch again).
    cur.execute(SQL("ALTER TABLE {}.dead_letters ADD COLUMN IF NOT EXISTS generation int").format(
        Identifier(CATALOG_SCHEMA)))
    cur.execute(SQL("ALTER TABLE {}.registry ADD COLUMN IF NOT EXISTS runner_error text,"
                    " ADD COLUMN IF NOT EXISTS runner_error_at timestamptz").format(
        Identifier(CATALOG_SCHEMA)))


#: A dead letter of the live generation (or of a feeder that has no generations).
LIVE_LETTER = ("(d.generation IS NULL OR d.generation = (SELECT r.generation FROM {0}.registry r"
               " WHERE r.name = d.projection))")


def create_generation(cur: Cursor[Any], name: str, generation: int) -> str:
    """Create an empty schema for one generation, with its tracking row at position 0."""
    schema = generation_schema(name, generation)
    cur.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))
    cur.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
    cur.execute(SQL(
        "CREATE TABLE {}.tracking (only_row bool PRIMARY KEY DEFAULT true CHECK (only_row),"
        " position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())"
    ).format(Identifier(schema)))
    cur.execute(SQL("INSERT INTO {}.tracking (position) VALUES (0)").format(Identifier(schema)))
    return schema


def use_schema(cur: Cursor[Any], schema: str) -> None:
    cur.execute(SQL("SET LOCAL search_path TO {}, public").format(Identifier(schema)))


class ProjectionTimeoutError(Exception):
    """A read asked to see its own writes, and the projections did not catch up in time."""


class ReadModelStuckError(ProjectionTimeoutError):
    """A read asked to see its own writes, and a read model it reads is stuck (no runner
    follows it, or its runner is failing): waiting would not help."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"read model {', '.join(names)} is stuck")
        self.names = names


@dataclass(frozen=True)
class DeadLetter:
    id: int
    projection: str
    position: int
    topic: str
    error: str
    recorded_at: datetime
    resolved_at: datetime | None


class ProjectionReader:
    """Opens read transactions on a projection's live generation."""

    def __init__(self, pool: ConnectionPool[Connection[Any]],
                 ttl: float = LIVE_GENERATION_TTL) -> None:
        self.pool = pool
        self.ttl = ttl
        self._live: dict[str, tuple[str, float]] = {}  # name: (search path, trusted until)
        self._lock = threading.Lock()

    @contextmanager
    def cursor(self, name: str) -> Iterator[Cursor[Any]]:
        with self.transaction() as cur:
            self.use(cur, name)
            yield cur

    @contextmanager
    def transaction(self) -> Iterator[Cursor[Any]]:
        """A read transaction not yet pointed at a read model: for a read of several, each
        pointed at with ``use`` in turn (one snapshot; no wait for the server spent on a
        first read model the reader does not read)."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    def use(self, cur: Cursor[Any], name: str, local: Mapping[str, str] | None = None) -> None:
        """Point ``cur``'s transaction at the live generation of ``name``: a read of several
        read models in one transaction (one snapshot) moves from one to the next with this.
        ``local``: planner settings for the rest of the transaction, set in the same statement
        (a wait for the server less than a ``SET LOCAL`` of their own)."""
        settings = SQL("").join(SQL(", set_config({}, {}, true)").format(Literal(key), Literal(value))
                                for key, value in (local or {}).items())
        with self._lock:
            path, until = self._live.get(name, ("", 0.0))
        if time.monotonic() < until:
            cur.execute(SQL("SELECT set_config('search_path', %s, true){}").format(settings), (path,))
            return
        cur.execute(
            SQL("SELECT set_config('search_path', 'proj_' || name || '_g' || generation"
                " || ', public', true){} FROM {}.registry WHERE name = %s"
                ).format(settings, Identifier(CATALOG_SCHEMA)),
            (name,),
        )
        row = cur.fetchone()
        if row is None:
            raise LookupError(f"projection {name!r} has not been created yet")
        with self._lock:
            self._live[name] = (row[0], time.monotonic() + self.ttl)

    def forget_live_generations(self) -> None:
        """Look every live generation up again on the next read (after a swap in this process)."""
        with self._lock:
            self._live.clear()

    def position(self, name: str) -> int:
        with self.cursor(name) as cur:
            cur.execute("SELECT position FROM tracking")
            row = cur.fetchone()
            return int(row[0]) if row else 0

    def dead_letters(self, name: str | None = None, unresolved_only: bool = True) -> list[DeadLetter]:
        with self.pool.connection() as conn, conn.cursor(row_factory=class_row(DeadLetter)) as cur:
            cur.execute(
                SQL("SELECT id, projection, position, topic, error, recorded_at, resolved_at"
                    " FROM {0}.dead_letters d WHERE (%s::text IS NULL OR projection = %s)"
                    " AND (NOT %s OR resolved_at IS NULL) AND " + LIVE_LETTER +
                    " ORDER BY id").format(Identifier(CATALOG_SCHEMA)),
                (name, name, unresolved_only),
            )
            return cur.fetchall()
