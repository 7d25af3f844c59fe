"""A rebuild generation's tables made ready for a bulk load, and made whole again after it.

A rebuild fills a generation that no reader sees until it is swapped in. Every row a batch
writes into a table that already has its secondary indexes pays for their maintenance, and
every row of a logged table pays for its own WAL record; building an index once over the
loaded rows is far cheaper (one sort), and so is writing the loaded table to the WAL in
whole pages. So, in rebuild mode, right after a generation's tables are created:

- its secondary indexes (not unique: no upsert's ``ON CONFLICT`` and no constraint relies
  on them) are dropped and their definitions kept, to be created again by :func:`restore`;
- its tables are made ``UNLOGGED``, and made logged again by :func:`restore`. A crash in
  between loses only that generation, which no reader uses and the next rebuild drops.

Primary keys and unique indexes stay: the upserts of a batch need them. So do the indexes
of the tables a read model reads back through them while it is rebuilt
(:attr:`~projections.base.Projection.rebuild_reads`): without them every such read would
scan a table that grows with the log.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from psycopg import Cursor
from psycopg.sql import SQL, Identifier

SECONDARY_INDEXES = """
    SELECT i.relname, pg_get_indexdef(x.indexrelid), t.relname
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = %s AND NOT x.indisunique AND NOT x.indisprimary
    ORDER BY i.relname"""
TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname"""


@dataclass(frozen=True)
class SetAside:
    """What :func:`set_aside` took off a generation: its schema, the definitions of the
    indexes it dropped, and the tables it made unlogged."""

    schema: str
    indexes: tuple[str, ...]
    unlogged: tuple[str, ...]


def set_aside(cur: Cursor[Any], schema: str, keep: Collection[str] = (),
              unlogged: bool = False) -> SetAside:
    """Drop the secondary indexes of the (empty) generation in ``schema``, but those of the
    tables in ``keep``, and, if ``unlogged``, make its tables unlogged; returns what
    :func:`restore` puts back."""
    cur.execute(SECONDARY_INDEXES, (schema,))
    found = [(name, definition) for name, definition, table in cur.fetchall() if table not in keep]
    for name, _ in found:
        cur.execute(SQL("DROP INDEX {}.{}").format(Identifier(schema), Identifier(name)))
    tables: list[str] = []
    if unlogged:
        cur.execute(TABLES, (schema,))
        tables = [str(name) for (name,) in cur.fetchall()]
        for table in tables:
            cur.execute(SQL("ALTER TABLE {}.{} SET UNLOGGED").format(Identifier(schema),
                                                                      Identifier(table)))
    return SetAside(schema, tuple(str(definition) for _, definition in found), tuple(tables))


def restore(cur: Cursor[Any], aside: SetAside) -> None:
    """Make the generation's tables logged again, then create the indexes set aside (in
    that order: making a table logged rewrites its indexes too)."""
    for table in aside.unlogged:
        cur.execute(SQL("ALTER TABLE {}.{} SET LOGGED").format(Identifier(aside.schema),
                                                                Identifier(table)))
    for definition in aside.indexes:
        cur.execute(definition)
