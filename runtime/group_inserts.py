"""How a group's events go into the event table, in as few round trips as it takes.

A group of ordinary size is one message, one round trip: ``BEGIN``, the table lock,
``NOTIFY``, the idempotency records, the events' ``INSERT ... RETURNING``, the records' results
(their log positions looked up in the same transaction) and ``COMMIT`` (parameters bound
client-side, PostgreSQL's simple query protocol takes many statements in one message; the
statements with values executed by name, :mod:`runtime.named_statements`, its text
:mod:`runtime.commit_messages`). The
library's way takes six round trips for the same work; until 2026-11-28 it took two here, the
first asking for the transaction's id to settle a lost answer by, which is now settled by the
events themselves (:func:`runtime.commit_outcome.settle_by_rows`): 14 % more commands per
second at 8 threads, measured in alternating runs in one process. The table lock is held only
while the server runs the message, never across a round trip or while this thread waits for
the interpreter lock. (Handing the next group its lead as the COMMIT goes out, so that its
whole transaction waits for the lock in the server, was measured and backed out: groups then
shrink to one or two saves, each paying a WAL flush under the lock.)

A large group (states over ``ONE_MESSAGE_BYTES``) goes in by binary ``COPY``, its rows packed by
hand (:mod:`runtime.copy_rows`), their ids counted on from the id sequence's last value read
under the table lock: the whole transaction is one message around the COPY (``BEGIN`` and the
transaction id up to ``COPY ... FROM STDIN``, and after it the check of reads, the records'
results and ``COMMIT``), so it takes two round trips: the message, whose first answer (the
transaction id and the last id) comes before any data is sent, then the data, whose end is the
COMMIT going out (measured on 2026-11-27 with plain psycopg, 300 rows of a review's shape,
interleaved in one process: 2.77 ms statement by statement, 2.16 ms so; a plain
``BEGIN``/``COPY``/``COMMIT`` 2.32 ms); however few its events, since statement by statement
takes more round trips. A large group whose rows cannot be packed by hand goes statement by
statement (COPY by psycopg's ``write_row``), as does one written with a replaced insert
statement (an insert, with binary parameters).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection, Cursor, errors
from psycopg.pq.abc import PGresult
from psycopg.rows import DictRow
from psycopg.sql import Composed

from commands.results import CommandLogEntry
from runtime import simple_query
from runtime.commit_messages import CommitMessages
from runtime.copy_rows import PackedRows, packable, write_rows
from runtime.group_commit import PendingSave, while_committing

ONE_MESSAGE_BYTES = 64 * 1024


class NotPackedError(Exception):
    """An event outside the shape :class:`PackedRows` packs: its COPY was abandoned."""


def _all_packed(rows: PackedRows) -> Iterator[bytearray]:
    """``rows``' chunks; at their end, :class:`NotPackedError` if an event was not packed."""
    yield from rows
    if rows.packed < len(rows.events):
        raise NotPackedError(f"event {rows.packed} is not of the packed shape")


@dataclass
class WriteAttempt:
    """How far a write transaction got: its id once begun (or, sent in one message with its
    COMMIT, the server process running it), whether COMMIT was sent (and answered), and the
    outcomes it will answer if it commits."""

    xid: str | None = None
    committing: bool = False
    written: list[Any] | None = None
    last_id: int | None = None
    committed: bool = False
    backend_pid: int | None = None


class GroupInserts(CommitMessages):
    """The insert half of :class:`runtime.group_writer.GroupWriter`."""

    datastore: PostgresDatastore
    insert_columns_statement: Composed
    insert_events_statement: Composed
    library_insert_statement: Composed
    construct_pg_stored_event: Callable[..., Any]
    sequence_shape_statement: Composed
    _plain_sequence: bool | None = None
    _fetch_ids_after_insert_events: Callable[..., Sequence[int] | None]
    select_ids_statement: Composed
    _sending_commit: Callable[[Connection[DictRow], WriteAttempt], None]

    def _begin_and_insert(self, curs: Cursor[DictRow], attempt: WriteAttempt,
                          group: list[PendingSave], entries: list[CommandLogEntry | None],
                          log_params: tuple[list[str], ...], events: list[StoredEvent]
                          ) -> list[int]:
        """The whole transaction, BEGIN to COMMIT, in one message: the idempotency records'
        results are completed by the server with the notification id of their save's last
        event. Should the answer be lost, the server process that ran it
        (``attempt.backend_pid``) settles it."""
        conn = curs.connection
        logged, checked, literals = self._message_values(group, entries, log_params, [
            [e.originator_id for e in events], [e.originator_version for e in events],
            [e.topic for e in events], [e.state for e in events]])
        attempt.backend_pid = conn.info.backend_pid
        results = self._send_commit_message(conn, (logged, checked), literals,
                                            lambda: self._sending_commit(conn, attempt))
        attempt.committed = True
        # the one result with rows: the events' INSERT ... RETURNING notification_id
        return self._checked([int(i) for i in simple_query.first_column(results)
                              if i is not None], events)

    def _send_commit_message(self, conn: Connection[DictRow], shape: tuple[bool, bool],
                             literals: list[str], sending: Callable[[], None]) -> list[PGresult]:
        """Send the commit message of ``shape`` (``sending`` called just before it first goes,
        the statements prepared and the message built), its statements executed by name while
        the session has them. A session that lost them (psycopg deallocates every prepared
        statement of a session it sees roll back) has the message rolled back and sent again,
        prepared once more; lost again at once (a pooler in transaction mode), it goes in
        plain statements, and so does every later one."""
        standard = simple_query.standard_strings(conn)
        for missed in range(3):
            named = self.named_statements.ready(conn)
            parts = (self.named_message_parts if named else self.commit_message_parts)[shape]
            message = simple_query.with_literals(parts, literals, standard)
            if not missed:
                sending()
            try:
                return simple_query.run(conn, message)
            except errors.InvalidSqlStatementName:
                if not named:
                    raise
                simple_query.run(conn, "ROLLBACK")  # nothing ran past the missing statement
                if missed:
                    self.named_statements.lost()
                else:
                    self.named_statements.forget(conn)
        raise AssertionError("unreachable: the third message is in plain statements")

    def _begin_and_copy(self, curs: Cursor[DictRow], attempt: WriteAttempt,
                        group: list[PendingSave], entries: list[CommandLogEntry | None],
                        log_params: tuple[list[str], ...], events: list[StoredEvent]
                        ) -> list[int]:
        """A large group's whole transaction in one message around its binary COPY: BEGIN and
        the transaction id, the table lock, NOTIFY, the id sequence's last
        value, the idempotency records, ``COPY ... FROM STDIN``, then, after the data, the
        check of the saves' reads, the records' results and COMMIT. Two round trips (the first
        answers the transaction id and the last id before any data goes), where statement by
        statement took five. The rows are packed by hand as they are sent (:class:`PackedRows`), so
        the server inserts the first while the next are packed; should an event be outside the
        packed shape, the COPY is abandoned and :class:`NotPackedError` raised (the transaction
        has failed: the caller rolls it back and writes the group another way)."""
        conn = curs.connection
        logged, checked, literals = self._message_values(group, entries, log_params)
        message = simple_query.with_literals(self.copy_message_parts[logged, checked],
                                             literals, simple_query.standard_strings(conn))
        values = simple_query.first_column(simple_query.start_copy(conn, message))
        attempt.xid = (values.pop(0) or b"").decode() or None  # then the last id
        last_id = values[0] if values else None
        ids = [] if last_id is None else list(range(int(last_id) + 1,
                                                    int(last_id) + 1 + len(events)))
        rows = PackedRows(events, self.datastore.originator_id_type)
        simple_query.finish_copy(conn, _all_packed(rows), lambda: self._sending_commit(conn, attempt),
                                 lambda: while_committing(group, ids))
        attempt.committed = True
        if last_id is None:  # a sequence never called yet: the ids are looked up, once
            curs.execute(self.select_ids_statement, ([e.originator_id for e in events],
                                                     [e.originator_version for e in events]))
            return self._checked([row["notification_id"] for row in curs.fetchall()], events)
        return ids

    def _packs(self, conn: Connection[DictRow]) -> bool:
        """Whether this store's rows can be packed by hand on ``conn`` (:func:`packable`)."""
        return packable(self.datastore.originator_id_type, conn.info.encoding)

    def _insert_group_events(self, curs: Cursor[DictRow], events: Sequence[StoredEvent],
                             last_id: int | None = None) -> list[int]:
        if last_id is not None:
            return self._copy_group_events(curs, events, last_id)
        if self.insert_events_statement is self.library_insert_statement:
            curs.execute(self.insert_columns_statement, (
                [e.originator_id for e in events], [e.originator_version for e in events],
                [e.topic for e in events], [e.state for e in events]), prepare=True)
            return self._checked([row["notification_id"] for row in curs.fetchall()], events)
        # a configured statement takes the library's array of composite values
        curs.execute(self.insert_events_statement, ([
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic,
                                           e.state) for e in events],), prepare=True)
        return self._checked(list(self._fetch_ids_after_insert_events(curs, events) or []), events)

    def _copy_group_events(self, curs: Cursor[DictRow], events: Sequence[StoredEvent],
                           last_id: int) -> list[int]:
        """The events by binary COPY, the fastest way in, and their notification ids without
        RETURNING: they follow ``last_id``, the sequence's last value read after the table lock
        was taken. Every writer takes that EXCLUSIVE lock before it inserts (and a configured
        database function, which would not, is refused), and the sequence steps by one with no
        per-session cache (:meth:`_copies`), so the rows of one COPY take the next ids, one
        each, in the order they are sent. The rows are packed by hand and sent as they are
        packed (:mod:`runtime.copy_rows`, the same bytes as psycopg's ``write_row``)."""
        with curs.copy(self.copy_events_statement) as copy:
            write_rows(copy, events, self.datastore.originator_id_type,
                       curs.connection.info.encoding)
        return list(range(last_id + 1, last_id + 1 + len(events)))

    def _copies(self, conn: Connection[DictRow], events: Sequence[StoredEvent]) -> bool:
        """Whether these events go in by COPY: a large group, the library's insert statement
        (a replaced one is honoured), and a plain id sequence."""
        return (self.insert_events_statement is self.library_insert_statement
                and bool(events) and self._sequence_is_plain(conn))

    def _sequence_is_plain(self, conn: Connection[DictRow]) -> bool:
        """Whether the notification id sequence steps by one without a per-session cache
        (asked once, before the first COPY's transaction begins)."""
        if self._plain_sequence is None:
            with conn.cursor() as curs:
                curs.execute(self.sequence_shape_statement)
                row = curs.fetchone()
            self._plain_sequence = row is not None and (
                row["increment_by"], row["cache_size"]) == (1, 1)
        return self._plain_sequence

    @staticmethod
    def _checked(ids: list[int], events: Sequence[StoredEvent]) -> list[int]:
        if len(ids) != len(events):
            raise ProgrammingError(f"Couldn't get all notification IDs (got {len(ids)},"
                                   f" expected {len(events)})")
        return ids
