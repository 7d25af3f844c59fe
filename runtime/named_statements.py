"""The statements a group's one-message transaction executes by name, planned once per
connection.

A group's whole transaction goes to the server as one message of the simple query protocol
(:mod:`runtime.group_inserts`), which binds no parameters and keeps no plan: every group's
events ``INSERT``, check of reads and idempotency records were parsed and planned again, while
the group held the event table's lock. Prepared at the SQL level instead (``PREPARE name AS
...`` once per server session, then ``EXECUTE name('{...}', ...)`` in the message, the values
the same quoted array literals), each is planned once per connection. Measured on 2026-11-28
with ``bench/command.py``'s workload, runs alternating the two in one process: on a busy host
(load 2-3) 1 thread 1,032 -> 1,229 commands/s (median latency 864 -> 750 us), 8 threads
3,016 -> 3,319; on an idle one 1,114 -> 1,170 and 3,672 -> 3,775 (the server's share of a
write weighs more when the server waits for a core).

psycopg deallocates every prepared statement of a session (``DEALLOCATE ALL``) when a
statement it runs there answers ``ROLLBACK`` (a savepoint's included), so a write that rolled
back forgets its connection (:meth:`NamedStatements.forget`), and a message whose session has
lost them anyway answers ``InvalidSqlStatementName``: it is rolled back, they are prepared
again and it is sent once more. Lost again at once (behind a pooler in transaction mode, whose
server sessions are not the client's), the write goes as plain statements, and so does every
later one (:meth:`NamedStatements.lost`).
"""

import hashlib
import logging
import weakref
from collections.abc import Sequence

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Identifier

from runtime import simple_query
from runtime.array_text import array_text

logger = logging.getLogger(__name__)
PREPARED = ["SELECT name FROM pg_prepared_statements WHERE name = ANY(", "::text[])"]


def _numbered(text: str) -> str:
    """``text`` with its ``%s`` placeholders as ``$1``, ``$2``, ... (a PREPARE's parameters)."""
    parts = text.split("%s")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))


class NamedStatements:
    """``statements`` (each placeholder cast to its type) by name: ``vcio_`` and a digest of
    the text, so equal statements share a name and different ones never do. They are prepared
    in a transaction of their own after ``lead`` (the write's lock timeout: preparing an
    ``INSERT`` takes a lock on its table that another writer's lock may hold)."""

    def __init__(self, statements: Sequence[Composable], lead: Sequence[Composable] = ()) -> None:
        self.lead = [statement.as_string() for statement in lead]
        self.names: dict[str, str] = {}
        self.prepare: dict[str, str] = {}
        for statement in statements:
            text = statement.as_string()
            name = "vcio_" + hashlib.sha256(text.encode()).hexdigest()[:20]
            self.names[text], self.prepare[name] = name, _numbered(text)
        self.usable = True
        self._ready: weakref.WeakSet[Connection[DictRow]] = weakref.WeakSet()

    def executed(self, statement: Composable) -> Composable:
        """``EXECUTE`` of ``statement`` by its name, with as many placeholders."""
        text = statement.as_string()
        return SQL("EXECUTE {}({})").format(Identifier(self.names[text]),
                                           SQL(", ").join([SQL("%s")] * text.count("%s")))

    def ready(self, conn: Connection[DictRow]) -> bool:
        """Whether messages on ``conn`` may execute the statements by name: prepared in its
        session the first time it is asked (those it lacks), unless the server was seen to
        lose them. ``conn`` must be outside a transaction."""
        if not self.usable:
            return False
        if conn not in self._ready:
            standard = simple_query.standard_strings(conn)
            known = simple_query.first_column(simple_query.run(conn, simple_query.with_literals(
                PREPARED, [array_text(list(self.prepare))], standard)))
            missing = [name for name in self.prepare if name.encode() not in known]
            if missing:
                simple_query.run(conn, "; ".join([
                    "BEGIN", *self.lead, *(f"PREPARE {name} AS {self.prepare[name]}"
                                           for name in missing), "COMMIT"]))
            self._ready.add(conn)
        return True

    def forget(self, conn: Connection[DictRow]) -> None:
        """``conn``'s session may have lost them (psycopg deallocates all of a session's
        prepared statements when it sees a ``ROLLBACK``): asked again before the next use."""
        self._ready.discard(conn)

    def lost(self) -> None:
        """A session answered that it has no such statement: plain statements from now on."""
        self.usable = False
        logger.warning("the database session lost its prepared statements (a pooler in"
                       " transaction mode?): group writes go as plain statements from now on")
