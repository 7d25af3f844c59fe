"""Setting a poison event aside: a dead-letter row that cannot fail to be written.

The error of a poison event often quotes the very data PostgreSQL could not store (a NUL,
an out-of-range number), so its text is made storable first: NUL characters are replaced and
the text is cut to a bounded length. The row is written in a savepoint of its own; should even
that fail, a plain text naming the error's type is written instead, and the batch goes on.
"""

import logging
from typing import Any

from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier

from projections.base import RawEvent
from projections.catalog import CATALOG_SCHEMA

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


def sanitised(text: str, limit: int = MAX_ERROR_LENGTH) -> str:
    """``text`` as PostgreSQL text can hold it: no NUL, no lone surrogate, at most ``limit``."""
    clean = text.replace("\x00", "\\u0000").encode("utf-8", "replace").decode("utf-8")
    return clean if len(clean) <= limit else clean[:limit - 1] + "…"


def error_text(error: BaseException) -> str:
    return sanitised(f"{type(error).__name__}: {error}")


def record_dead_letter(conn: Connection[Any], cur: Cursor[Any], name: str, generation: int | None,
                       raw: RawEvent, error: BaseException) -> None:
    """Write (or refresh) the dead letter of ``raw`` for read model ``name``."""
    log.error("projection %s: dead letter at %s (%s): %s", name, raw.position, raw.topic,
              error_text(error))
    query = SQL(
        "INSERT INTO {}.dead_letters (projection, position, topic, originator_id,"
        " originator_version, error, generation) VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (projection, position) DO UPDATE SET error = excluded.error,"
        " generation = excluded.generation, recorded_at = now(), resolved_at = NULL"
    ).format(Identifier(CATALOG_SCHEMA))
    topic = sanitised(raw.topic, 500)
    for text in (error_text(error), f"{type(error).__name__} (its message could not be stored)"):
        try:
            with conn.transaction():
                cur.execute(query, (name, raw.position, topic, raw.originator_id,
                                    raw.originator_version, text, generation))
            return
        except Exception as failure:  # noqa: BLE001 - the plainer text is tried next
            log.error("projection %s: could not store the dead letter at %s: %r", name,
                      raw.position, failure)
    raise RuntimeError(f"projection {name}: no dead letter could be stored for {raw.position}")
