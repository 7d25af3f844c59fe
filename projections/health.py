"""How the read models are doing, read in a few queries: position, lag, dead letters, whether
a runner follows each one, and what last stopped it.

A runner holds a session advisory lock per read model it follows; whether one is held is read
from ``pg_locks`` (probing with ``pg_try_advisory_lock`` would, for a moment, keep the real
runner from taking it). A read model is *stuck* when it is behind the log and either nobody
follows it or its runner last failed; ``/health`` and ``?wait_for=`` answer 503 naming it.
"""

from collections.abc import Sequence
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Identifier, Literal

from projections.catalog import CATALOG_SCHEMA, LIVE_LETTER, generation_schema, lock_key
from projections.runner import ProjectionStatus

STATE_SQL = SQL(
    "SELECT r.name, {0}.live_generation(r.name), r.runner_error,"
    " EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
    "  AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database"
    "   WHERE datname = current_database())"
    "  AND l.classid::bigint = ((hashtext(%s || r.name)::bigint >> 32) & 4294967295)"
    "  AND l.objid::bigint = (hashtext(%s || r.name)::bigint & 4294967295)),"
    " (SELECT count(*) FROM {0}.dead_letters d WHERE d.projection = r.name"
    "  AND d.resolved_at IS NULL AND " + LIVE_LETTER + ")"
    " FROM {0}.registry r WHERE r.name = ANY(%s) ORDER BY r.name"
).format(Identifier(CATALOG_SCHEMA))
LOCK_PREFIX = lock_key("")


def read_model_states(conn: Connection[Any], events_table: str,
                      names: Sequence[str]) -> list[ProjectionStatus]:
    """The status of each named read model (in the order given; unknown names are left out)."""
    # One transaction: the generations are held (``live_generation``) until their positions
    # are read, so a rebuild cannot drop one in between.
    with conn.transaction():
        found = {row[0]: row for row in conn.execute(
            STATE_SQL, (LOCK_PREFIX, LOCK_PREFIX, list(names))).fetchall()}
        if not found:
            return []
        # The positions and the log head in one statement (one snapshot, one round trip); the
        # head's row is the one without a name.
        at = dict(conn.execute(SQL(" UNION ALL ").join([
            *(SQL("SELECT {}, position FROM {}.tracking").format(
                Literal(name), Identifier(generation_schema(name, int(row[1]))))
              for name, row in found.items()),
            SQL("SELECT NULL, coalesce(max(notification_id), 0) FROM public.{}").format(
                Identifier(events_table))])).fetchall())
    head = int(at.pop(None, 0))
    states = []
    for name in names:
        if name not in found:
            continue
        _, generation, error, active, dead = found[name]
        position = int(at.get(name, 0))
        states.append(ProjectionStatus(name, int(generation), position, head,
                                       max(head - position, 0), int(dead), bool(active), error))
    return states


def stuck_read_models(conn: Connection[Any], events_table: str, names: Sequence[str],
                      position: int | None = None) -> list[str]:
    """The named read models that are stuck: behind ``position`` (default: the log head) with
    no runner following them, or with their runner failing."""
    return [s.name for s in read_model_states(conn, events_table, names)
            if (s.stuck if position is None else
                s.position < position and (not s.runner_active or s.runner_error is not None))]
