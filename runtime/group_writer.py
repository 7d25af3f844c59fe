"""Writing one group of saves (see :mod:`runtime.group_commit`) in one transaction, in as few
round trips as it takes, and at most once more when it certainly did not commit.

A group of ordinary size goes out as two messages: ``BEGIN`` and the transaction id in the
first; the table lock, ``NOTIFY``, the idempotency records, the events' ``INSERT ... RETURNING``,
the records' results (their log positions looked up in the same transaction) and ``COMMIT`` in
the second (parameters bound client-side, PostgreSQL's simple query protocol takes many
statements in one message). The library's way takes six round trips for the same work. The
table lock is held only while the server runs the second message, never across a round trip or
while this thread waits for the interpreter lock; the transaction id is known before ``COMMIT``
is sent, so a lost connection can be settled, and a group that did commit but lost its answer
looks its ids up by its events' unique keys. (Handing the next group its lead as the COMMIT
goes out, so that its transaction waits for the lock in the server, was measured and backed
out: groups then shrink to one or two saves, each paying a WAL flush under the lock.) A large group
(states over ``ONE_MESSAGE_BYTES``) goes statement by statement: its events by binary ``COPY``
(at least ``COPY_MIN_EVENTS`` of them), their ids counted on from the id sequence's last value,
read in the same message as the table lock; a smaller one by an insert with binary parameters.

If any save breaks a unique rule (a racing version, a reused idempotency key) the group is
written again with a savepoint per save, so only the saves that broke a rule fail. A lost
connection is settled as :mod:`runtime.commit_outcome` says.
"""

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import psycopg
from eventsourcing.persistence import IntegrityError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import ClientCursor, Connection, Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult
from runtime.commit_outcome import NothingCommittedError, connection_lost, settle_commit
from runtime.group_commit import PendingSave

T = TypeVar("T")
ONE_MESSAGE_BYTES = 64 * 1024
COPY_MIN_EVENTS = 32  # a large group is loaded by COPY; a small one by INSERT (fewer round trips)
COMMIT = SQL("COMMIT")


@dataclass
class WriteAttempt:
    """How far a write transaction got: its id once begun, whether COMMIT was sent (and
    answered), and the outcomes it will answer if it commits."""

    xid: str | None = None
    committing: bool = False
    written: list[Any] | None = None
    last_id: int | None = None
    committed: bool = False


class GroupWriter:
    """The writing half of :class:`runtime.event_store.PostgresLedgerRecorder`."""

    datastore: PostgresDatastore
    settle_seconds: float
    begin_write_statement: Composed
    begin_xid_statement: SQL
    lock_write_statements: list[Any]
    update_log_positions_statement: Composed
    select_ids_statement: Composed
    insert_columns_statement: Composed
    insert_columns_text_statement: Composed
    insert_events_statement: Composed
    library_insert_statement: Composed
    insert_log_statement: Composed
    update_log_statement: Composed
    construct_pg_stored_event: Callable[..., Any]
    copy_events_statement: Composed
    begin_copy_statement: Composed
    sequence_shape_statement: Composed
    _plain_sequence: bool | None = None
    _fetch_ids_after_insert_events: Callable[..., Sequence[int] | None]

    def _write_group(self, group: list[PendingSave]) -> None:
        """Write the group, once more on a fresh connection if the first try certainly wrote
        nothing because its connection was gone."""
        try:
            outcomes = self._write_group_once(group)
        except NothingCommittedError:
            self.datastore.pool.check()  # the server closed the other idle connections too
            try:
                outcomes = self._write_group_once(group)
            except NothingCommittedError as error:
                raise OperationalError(f"the database connection was lost: {error}") from error
        for pending, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                pending.fail(outcome)
            else:
                pending.succeed(outcome)

    def _write_group_once(self, group: list[PendingSave]) -> list[Sequence[int] | BaseException]:
        outcomes: list[Sequence[int] | BaseException] = []
        attempt = WriteAttempt()
        lost_commit: BaseException | None = None
        with self.datastore.get_connection() as conn:
            try:
                try:
                    outcomes = list(self._transaction(conn, attempt, lambda curs: list(
                        self._write_together(curs, group, attempt)), begun_by_write=True))
                except psycopg.IntegrityError:
                    if len(group) == 1:
                        raise
                    outcomes = self._transaction(conn, attempt, lambda curs: [
                        self._write_alone(conn, curs, p) for p in group])
            except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                if not connection_lost(conn, error):
                    raise
                if not attempt.committing:
                    raise NothingCommittedError(str(error)) from error
                lost_commit = error
        if lost_commit is not None:  # returns only if the transaction did commit
            settle_commit(lost_commit, attempt.xid, self._transaction_status, self.settle_seconds)
            if attempt.written is None:  # the ids were to come back with the COMMIT
                return list(self._split(group, self._ids_of(
                    [e for p in group for e in p.stored_events])))
            return attempt.written
        return outcomes

    def _transaction(self, conn: Connection[DictRow], attempt: WriteAttempt,
                     write: Callable[[Cursor[DictRow]], list[T]],
                     begun_by_write: bool = False) -> list[T]:
        """BEGIN (unless ``write`` sends it with its first statements), ``write``, COMMIT."""
        attempt.committing, attempt.committed, attempt.xid = False, False, None
        attempt.written = None
        attempt.last_id = None
        with conn.cursor() as curs:
            try:
                if not begun_by_write:
                    self._begin(curs, attempt)
                written = write(curs)
            except BaseException:
                if not conn.closed and not attempt.committed:
                    with contextlib.suppress(psycopg.Error):
                        curs.execute("ROLLBACK")
                raise
            attempt.written = list(written)
            if attempt.committed:  # COMMIT went out with the write itself
                return written
            self._sending_commit(conn, attempt)
            curs.execute(COMMIT)
        return written

    def _sending_commit(self, conn: Connection[DictRow], attempt: WriteAttempt) -> None:
        """COMMIT is about to be sent on ``conn``: from here a lost connection is settled by the
        transaction id (a seam the connection-loss tests cut at)."""
        attempt.committing = True

    def _begin(self, curs: Cursor[DictRow], attempt: WriteAttempt,
               read_last_id: bool = False) -> None:
        """BEGIN, the transaction id, the table lock and NOTIFY: one message; with
        ``read_last_id``, then the id sequence's last value too (under the lock)."""
        curs.execute(self.begin_copy_statement if read_last_id else self.begin_write_statement)
        curs.nextset()  # past BEGIN, to the transaction id
        row = curs.fetchone()
        assert row is not None  # a SELECT of one value answers one row
        attempt.xid = str(row["xid"])
        if read_last_id:
            while curs.nextset():  # SET, LOCK, NOTIFY: to the sequence's last value
                pass
            row = curs.fetchone()
            attempt.last_id = None if row is None or row["last_id"] is None else int(row["last_id"])

    def _ids_of(self, events: Sequence[StoredEvent]) -> list[int]:
        """The notification ids of events known to be committed, in the order given (looked up
        by their unique originator id and version)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_ids_statement, ([e.originator_id for e in events],
                                                     [e.originator_version for e in events]))
            return self._checked([row["notification_id"] for row in curs.fetchall()], events)

    def _transaction_status(self, xid: str) -> str | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT pg_xact_status(%s::xid8) AS status", (xid,))
            row = curs.fetchone()
        return None if row is None else row["status"]

    def _write_alone(self, conn: Connection[DictRow], curs: Cursor[DictRow],
                     pending: PendingSave) -> Sequence[int] | BaseException:
        try:
            with conn.transaction():  # a savepoint: a broken rule undoes this save only
                return self._write_together(curs, [pending])[0]
        except psycopg.IntegrityError as error:
            return IntegrityError(str(error))

    def _write_together(self, curs: Cursor[DictRow], group: list[PendingSave],
                        attempt: WriteAttempt | None = None) -> list[Sequence[int]]:
        """The group's idempotency records, all its events in one insert, then the records'
        results. Given ``attempt``, it begins the transaction too, in the same message when the
        group is small."""
        entries = [p.kwargs.get(COMMAND_LOG_KWARG) for p in group]
        logged = [e for e in entries if e is not None]
        log_params = ([e.tenant for e in logged], [e.idempotency_key for e in logged],
                      [e.command_name for e in logged], [e.fingerprint for e in logged])
        events = [e for p in group for e in p.stored_events]
        one_message = (attempt is not None and events
                       and self.insert_events_statement is self.library_insert_statement
                       and sum(len(e.state) for e in events) <= ONE_MESSAGE_BYTES)
        if attempt is not None and one_message:
            ids = self._begin_and_insert(curs, attempt, group, entries, log_params, events)
            return self._split(group, ids)
        else:
            copies = attempt is not None and self._copies(curs.connection, events)
            if attempt is not None:
                self._begin(curs, attempt, read_last_id=copies)
            if logged:
                curs.execute(self.insert_log_statement, log_params, prepare=True)
            last_id = attempt.last_id if attempt is not None and copies else None
            ids = self._insert_group_events(curs, events, last_id) if events else []
        outcomes = self._split(group, ids)
        if logged:
            results = [CommandResult(e.result.aggregate_id, e.result.version,
                                     max(own) if own else None, e.result.created_id).to_json()
                       for e, own in zip(entries, outcomes, strict=True) if e is not None]
            update = ([e.tenant for e in logged], [e.idempotency_key for e in logged], results)
            curs.execute(self.update_log_statement, update, prepare=True)
        return outcomes

    @staticmethod
    def _split(group: list[PendingSave], ids: list[int]) -> list[Sequence[int]]:
        """The group's ids, given in the order of its events, split save by save."""
        outcomes: list[Sequence[int]] = []
        for pending in group:
            outcomes.append(ids[:len(pending.stored_events)])
            ids = ids[len(pending.stored_events):]
        return outcomes

    def _begin_and_insert(self, curs: Cursor[DictRow], attempt: WriteAttempt,
                          group: list[PendingSave], entries: list[CommandLogEntry | None],
                          log_params: tuple[list[str], ...], events: list[StoredEvent]
                          ) -> list[int]:
        """BEGIN and the transaction id; then, in one message, the rest of the transaction up
        to and including COMMIT: the idempotency records' results are completed by the server
        with the notification id of their save's last event."""
        curs.execute(self.begin_xid_statement)
        curs.nextset()  # past BEGIN, to the transaction id
        row = curs.fetchone()
        assert row is not None  # a SELECT of one value answers one row
        attempt.xid = str(row["xid"])
        logged = bool(log_params[0])
        params: list[Any] = list(log_params) if logged else []
        params.extend(([e.originator_id for e in events], [e.originator_version for e in events],
                       [e.topic for e in events], [e.state for e in events]))
        if logged:
            params.extend(self._log_results(group, entries))
        client = ClientCursor(curs.connection)
        self._sending_commit(curs.connection, attempt)
        client.execute(self.commit_message_texts[logged], params)
        attempt.committed = True
        ids: list[int] = []
        while True:  # SET, LOCK, NOTIFY, the records' INSERT, the events' (with their ids)...
            if client.description is not None and client.description[0].name == "notification_id":
                ids = [row["notification_id"] for row in client.fetchall()]
            if not client.nextset():
                break
        return self._checked(ids, events)

    @staticmethod
    def _log_results(group: list[PendingSave], entries: list[CommandLogEntry | None]
                     ) -> tuple[list[str], list[str], list[str], list[Any], list[int | None]]:
        """The idempotency records' keys, results without position, and the id and version
        of their save's last event (the server looks its notification id up)."""
        tenants, keys, results, last_ids, last_versions = [], [], [], [], []
        for pending, entry in zip(group, entries, strict=True):
            if entry is None:
                continue
            last = pending.stored_events[-1] if pending.stored_events else None
            tenants.append(entry.tenant)
            keys.append(entry.idempotency_key)
            results.append(CommandResult(entry.result.aggregate_id, entry.result.version, None,
                                         entry.result.created_id).to_json())
            last_ids.append(None if last is None else last.originator_id)
            last_versions.append(None if last is None else last.originator_version)
        return tenants, keys, results, last_ids, last_versions

    @cached_property
    def commit_message_texts(self) -> dict[bool, str]:
        """The commit message's text, without and with idempotency records, rendered once
        (rendering it each time cost about as much CPU as sending it)."""
        return {logged: SQL("; ").join([
            *self.lock_write_statements, *([self.insert_log_statement] if logged else []),
            self.insert_columns_text_statement,
            *([self.update_log_positions_statement] if logged else []), COMMIT,
        ]).as_string() for logged in (False, True)}

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
        each, in the order they are sent."""
        with curs.copy(self.copy_events_statement) as copy:
            copy.set_types([self.datastore.originator_id_type, "int8", "text", "bytea"])
            for e in events:
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))
        return list(range(last_id + 1, last_id + 1 + len(events)))

    def _copies(self, conn: Connection[DictRow], events: Sequence[StoredEvent]) -> bool:
        """Whether these events go in by COPY: a large group, the library's insert statement
        (a replaced one is honoured), and a plain id sequence."""
        return (self.insert_events_statement is self.library_insert_statement
                and len(events) >= COPY_MIN_EVENTS and self._sequence_is_plain(conn))

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
