"""What the relay keeps in PostgreSQL: its position, the offsets acknowledged up to it, the
epoch and identity of the topics it publishes into, and its last error.

``epoch`` goes up by one each time the relay finds its topics gone, recreated or truncated and
starts republishing the log from the beginning; Kafka-fed projections compare it with the
epoch they read under, and re-read the new topics when it moved. ``topic_ids`` are the broker's
ids of the topics the stored offsets belong to: a topic deleted and created again under the same
name has a new id, even when it already holds more messages than the stored offsets say.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb

SCHEMA = "vcio_streaming"
NOTIFY_CHANNEL = "vcio_relay"
SCHEMA_LOCK = "vcio-streaming-schema"


def create_relay_table(cur: psycopg.Cursor[Any]) -> None:
    """Create (or bring up to date) the relay's table; concurrent starts wait on one lock."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (SCHEMA_LOCK,))
    cur.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(SCHEMA)))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.relay_position (name text PRIMARY KEY,"
        " position bigint NOT NULL DEFAULT 0, offsets jsonb NOT NULL DEFAULT '{{}}',"
        " updated_at timestamptz NOT NULL DEFAULT now())").format(Identifier(SCHEMA)))
    cur.execute(SQL(
        "ALTER TABLE {}.relay_position ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0,"
        " ADD COLUMN IF NOT EXISTS topic_ids jsonb NOT NULL DEFAULT '{{}}',"
        " ADD COLUMN IF NOT EXISTS last_error text,"
        " ADD COLUMN IF NOT EXISTS last_error_at timestamptz,"
        " ADD COLUMN IF NOT EXISTS republished_at timestamptz").format(Identifier(SCHEMA)))


@dataclass(frozen=True)
class RelayRow:
    """The relay's stored state."""

    position: int
    offsets: dict[str, int]
    epoch: int
    topic_ids: dict[str, str]


def read_relay_row(cur: psycopg.Cursor[Any], name: str) -> RelayRow:
    cur.execute(SQL("SELECT position, offsets, epoch, topic_ids FROM {}.relay_position"
                    " WHERE name = %s").format(Identifier(SCHEMA)), (name,))
    row = cur.fetchone()
    if row is None:
        return RelayRow(0, {}, 0, {})
    return RelayRow(int(row[0]), dict(row[1]), int(row[2]), dict(row[3]))


def read_relay_position(cur: psycopg.Cursor[Any], name: str) -> tuple[int, dict[str, int]]:
    """The relay's position and the per-partition offsets acknowledged up to it."""
    row = read_relay_row(cur, name)
    return row.position, row.offsets


def record_position(conn: psycopg.Connection[Any], name: str, position: int,
                    offsets: dict[str, int]) -> None:
    """Move the position; only ever called after the broker acknowledged up to it."""
    with conn.transaction():
        conn.execute(SQL("UPDATE {}.relay_position SET position = %s, offsets = offsets || %s,"
                         " last_error = NULL, updated_at = now() WHERE name = %s").format(
            Identifier(SCHEMA)), (position, Jsonb(offsets), name))
        conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, name))


def start_new_epoch(conn: psycopg.Connection[Any], name: str, topic_ids: dict[str, str]) -> int:
    """Republish from the start of the log into the topics now on the broker; the new epoch.
    Committed before anything is sent into them, so a feeder holding a message of the new
    topics always finds the new epoch when it next reads this row."""
    with conn.transaction():
        row = conn.execute(SQL(
            "UPDATE {}.relay_position SET position = 0, offsets = '{{}}', epoch = epoch + 1,"
            " topic_ids = %s, republished_at = now(), updated_at = now() WHERE name = %s"
            " RETURNING epoch").format(Identifier(SCHEMA)), (Jsonb(topic_ids), name)).fetchone()
        conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, name))
    return int(row[0]) if row else 0


def record_topic_ids(conn: psycopg.Connection[Any], name: str, topic_ids: dict[str, str]) -> None:
    """Remember the ids of topics met for the first time (or created) in this epoch."""
    with conn.transaction():
        conn.execute(SQL("UPDATE {}.relay_position SET topic_ids = topic_ids || %s"
                         " WHERE name = %s").format(Identifier(SCHEMA)), (Jsonb(topic_ids), name))


def record_error(conn: psycopg.Connection[Any], name: str, error: str) -> None:
    with conn.transaction():
        conn.execute(SQL("UPDATE {}.relay_position SET last_error = %s, last_error_at = now()"
                         " WHERE name = %s").format(Identifier(SCHEMA)), (error[:1000], name))


@dataclass(frozen=True)
class RelayStatus:
    """What ``vcio relay --status`` and ``/metrics`` show about one relay."""

    name: str
    position: int
    head: int
    epoch: int
    active: bool
    updated_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    republished_at: datetime | None

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)


def relay_statuses(conn: psycopg.Connection[Any], events_table: str) -> list[RelayStatus]:
    """Every relay's state, with the log head and whether a relay process holds its lock."""
    exists = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.relay_position",)).fetchone()
    if exists is None or exists[0] is None:
        return []
    head_row = conn.execute(SQL("SELECT coalesce(max(notification_id), 0) FROM public.{}").format(
        Identifier(events_table))).fetchone()
    head = int(head_row[0]) if head_row else 0
    rows = conn.execute(SQL(
        "SELECT r.name, r.position, r.epoch, r.updated_at, r.last_error, r.last_error_at,"
        " r.republished_at, EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'"
        " AND l.granted AND l.objid::bigint = (hashtext('vcio-relay:' || r.name)::bigint"
        " & 4294967295)) FROM {}.relay_position r ORDER BY r.name").format(
        Identifier(SCHEMA))).fetchall()
    return [RelayStatus(r[0], int(r[1]), head, int(r[2]), bool(r[7]), r[3], r[4], r[5], r[6])
            for r in rows]
