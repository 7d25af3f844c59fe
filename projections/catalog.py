"""The projection catalog: which schema generation of each projection is live, and dead letters.

Readers find a projection's live generation in ``vcio_projections.registry`` and set their
``search_path`` to it; a rebuild writes generation N+1 aside and swaps the registry row, then
drops generation N.

A reader holds the generation it reads until its transaction ends: the catalog's
``live_generation`` function takes a shared advisory lock on it (keyed by ``GENERATION_LOCK``,
the read model's name and the generation) and then reads the registry again (a function's
statements each see what is committed by then), so it returns a generation that is still
live, locked. Dropping a generation takes the same lock
exclusively (:func:`lock_generation`): it waits for every transaction still reading that
generation, and any reader after it finds the new one. No read is sent to a dropped schema
however long a reader stalls, and a rebuild waits for no fixed grace (it slept 0.5 s, all of
it idle, while readers remembered a generation for up to 0.25 s). Nothing is remembered
between reads: a remembered generation would have to be locked before it is checked, and a
reader still guessing the old one would queue behind the drop, which waits for the old
generation's readers (a reader holding it in another transaction of its own would then wait
for itself). The lookups are two index reads of a table of a few rows, in the statement that
sets ``search_path`` anyway.
"""

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
#: Prefix of the advisory lock key of a read model's generation (with the generation number).
GENERATION_LOCK = "vcio-generation:"


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


#: The live generation of a read model, locked (shared) for the caller's transaction (NULL:
#: not registered). The registry is read again once the lock is held (each statement of a
#: volatile function sees what is committed when it starts): a generation swapped out in
#: between is left (its lock held to the end of the transaction, harmless) for the live one.
LIVE_GENERATION_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.live_generation(read_model text) RETURNS int
LANGUAGE plpgsql VOLATILE AS $body$
DECLARE
    held int;
    live int;
BEGIN
    SELECT r.generation INTO live FROM {schema}.registry r WHERE r.name = read_model;
    WHILE live IS DISTINCT FROM held LOOP
        held := live;
        IF held IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(hashtext({prefix} || read_model), held);
        SELECT r.generation INTO live FROM {schema}.registry r WHERE r.name = read_model;
    END LOOP;
    RETURN held;
END
$body$"""


def lock_generation(cur: Cursor[Any], name: str, generation: int) -> None:
    """Hold ``generation`` of ``name`` exclusively until the transaction ends: wait for every
    reader still in it (see the module's text) before it is dropped."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
                (GENERATION_LOCK + name, generation))


def create_catalog(cur: Cursor[Any]) -> None:
    """Create the catalog, or bring an older one up to date. A column is added only where it
    is missing: ``ALTER TABLE`` locks the table against every reader (each read reads the
    registry, :meth:`ProjectionReader.use`) until the transaction ends, and every start of a
    runner or a rebuild comes here."""
    schema = Identifier(CATALOG_SCHEMA)
    cur.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.registry ("
        " name text PRIMARY KEY, generation int NOT NULL, swapped_at timestamptz DEFAULT now())"
    ).format(schema))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.dead_letters ("
        " id bigserial PRIMARY KEY, projection text NOT NULL, position bigint NOT NULL,"
        " topic text NOT NULL, originator_id uuid, originator_version int, error text NOT NULL,"
        " recorded_at timestamptz NOT NULL DEFAULT now(), resolved_at timestamptz,"
        " UNIQUE (projection, position))"
    ).format(schema))
    # Added since the first catalog: the registry's shape version (what a generation was
    # built as) and what stopped its runner last (cleared once it applies a batch again);
    # which generation a dead letter belongs to (a rebuild's letters are its own).
    added = {"registry": ("shape_version int NOT NULL DEFAULT 1", "runner_error text",
                          "runner_error_at timestamptz"),
             "dead_letters": ("generation int",)}
    for table, columns in added.items():
        cur.execute("SELECT array_agg(attname::text) FROM pg_attribute WHERE attrelid ="
                    " to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                    (f"{CATALOG_SCHEMA}.{table}",))
        row = cur.fetchone()
        present = set(row[0] or ()) if row else set()
        missing = [c for c in columns if c.split()[0] not in present]
        if missing:
            cur.execute(SQL("ALTER TABLE {}.{} {}").format(schema, Identifier(table), SQL(", ").join(
                SQL("ADD COLUMN IF NOT EXISTS " + column) for column in missing)))
    function = SQL(LIVE_GENERATION_FUNCTION).format(schema=schema, prefix=Literal(GENERATION_LOCK))
    cur.execute("SELECT prosrc FROM pg_proc WHERE proname = 'live_generation'"
                " AND pronamespace = to_regnamespace(%s)", (CATALOG_SCHEMA,))
    found = cur.fetchone()
    text = function.as_string(cur)
    # Replaced only when it differs: every runner start registers each read model here, and a
    # replaced function is dropped from every backend's cache.
    if found is None or f"$body${found[0]}$body$" not in text:
        cur.execute(function)


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

    def __init__(self, pool: ConnectionPool[Connection[Any]]) -> None:
        self.pool = pool

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
        cur.execute(
            SQL("SELECT set_config('search_path', 'proj_' || %s || '_g' || g || ', public', true)"
                "{} FROM {}.live_generation(%s) AS g WHERE g IS NOT NULL"
                ).format(settings, Identifier(CATALOG_SCHEMA)),
            (name, name),
        )
        if cur.fetchone() is None:
            raise LookupError(f"projection {name!r} has not been created yet")

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
