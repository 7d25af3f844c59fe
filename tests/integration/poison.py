"""Writing a poison event straight into the event table, as one could have been stored before
the API refused such input: a copy of a real event whose strings carry a NUL character.

PostgreSQL text and jsonb cannot hold NUL, but the events table stores the state as bytea,
so the event is in the log and every read model must survive it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.sql import SQL, Identifier

from runtime.database import Database
from runtime.services import Services, build_services
from runtime.settings import Settings


def write_poisoned_copy(services: Any, originator_id: UUID, text: str) -> int:
    """Store a copy of ``originator_id``'s first event under a new id, with ``text`` in its
    state changed to carry a NUL; returns the copy's position in the log."""
    table = SQL("public.{}").format(Identifier(services.ledger.recorder.events_table_name))
    channel = Identifier(services.ledger.recorder.channel_name)
    with psycopg.connect(services.database.conninfo) as conn:
        topic, state = conn.execute(
            SQL("SELECT topic, state FROM {} WHERE originator_id = %s AND originator_version = 1"
                ).format(table), (originator_id,)).fetchone()
        original = bytes(state)
        encoded = text.encode()
        assert encoded in original, "the text to poison must be in the event's state"
        poisoned = original.replace(encoded, text.replace(" ", "\\u0000", 1).encode())
        conn.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        row: Any = conn.execute(
            SQL("INSERT INTO {} (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, %s, %s) RETURNING notification_id").format(table),
            (uuid4(), topic, poisoned)).fetchone()
        conn.execute(SQL("NOTIFY {}").format(channel))
        return int(row[0])


@contextmanager
def separate_database(database: Database, settings: Settings) -> Iterator[Services]:
    """Services on a database of their own on the same server, so that the poison written
    into its log never reaches the read models the rest of the suite checks."""
    name = f"vcio_poison_{uuid4().hex[:10]}"
    with psycopg.connect(database.conninfo, autocommit=True) as admin:
        admin.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    services = build_services(settings, Database(make_conninfo(database.conninfo, dbname=name)))
    try:
        yield services
    finally:
        services.close()
        with psycopg.connect(database.conninfo, autocommit=True) as admin:
            admin.execute(SQL("DROP DATABASE {} WITH (FORCE)").format(Identifier(name)))
