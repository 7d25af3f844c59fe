"""Writing one group of saves (see :mod:`runtime.group_commit`) in one transaction, in as few
round trips as it takes, and at most once more when it certainly did not commit.

How the events go in (one message from ``BEGIN`` to ``COMMIT``, or binary ``COPY`` for a large
group) is :mod:`runtime.group_inserts`. Should the connection be lost once ``COMMIT`` is on its
way, the write is settled (:mod:`runtime.commit_outcome`): a COPY's by its transaction id, known
before its data goes, a one-message write's by its events once the server process that ran it
has ended. A group that did commit but lost its answer gets its ids from the log.

If any save breaks a unique rule (a racing version, a reused idempotency key, an aggregate it
read that has moved on since: the check of ``READ_VERSIONS_KWARG``, run after the group's
events) or holds a value no column can hold (a NUL in a text), the group is written again with a
savepoint per save, in order, so only the saves that broke a rule fail.

Whether the last groups' ids followed on from the ones before (no other writer came in
between, :attr:`GroupWriter.writes_alone`) tells the ledger it may skip reading ahead.
"""

import contextlib
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import psycopg
from eventsourcing.persistence import (
    DataError,
    IntegrityError,
    OperationalError,
    StoredEvent,
)
from psycopg import Connection, Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed

from commands.results import COMMAND_LOG_KWARG, CommandResult
from runtime.commit_messages import read_versions
from runtime.commit_outcome import (
    NothingCommittedError,
    connection_lost,
    settle_by_rows,
    settle_commit,
)
from runtime.group_commit import PendingSave
from runtime.group_inserts import (
    ONE_MESSAGE_BYTES,
    GroupInserts,
    NotPackedError,
    WriteAttempt,
)

T = TypeVar("T")
ALONE_AFTER_GROUPS = 2
ALONE_FOR_SECONDS = 1.0
COMMIT = SQL("COMMIT")


class GroupWriter(GroupInserts):
    """The writing half of :class:`runtime.event_store.PostgresLedgerRecorder`."""

    settle_seconds: float
    begin_write_statement: Composed
    select_stored_statement: Composed
    update_log_statement: Composed
    begin_copy_statement: Composed
    _last_written_id: int | None = None
    _contiguous_groups = 0
    _last_group_at = 0.0

    def _write_group(self, group: list[PendingSave]) -> None:
        """Write the group, once more on a fresh connection if the first try certainly wrote
        nothing because its connection was gone."""
        try:
            try:
                outcomes = self._write_group_once(group)
            except NothingCommittedError:
                self.datastore.pool.check()  # the server closed the other idle connections too
                try:
                    outcomes = self._write_group_once(group)
                except NothingCommittedError as error:
                    raise OperationalError(
                        f"the database connection was lost: {error}") from error
        except BaseException:
            self._last_written_id, self._contiguous_groups = None, 0
            raise
        self._note_written(outcomes)
        for pending, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                pending.fail(outcome)
            else:
                pending.succeed(outcome)

    @property
    def writes_alone(self) -> bool:
        """Whether this process's last groups were the only writes to the event table (so its
        cached aggregates are probably up to date): the first id of each of the last
        ``ALONE_AFTER_GROUPS`` groups followed the last id of the group before (ids are taken
        under the table lock, so a gap means another writer, or a failed insert, came in
        between), and the last one was written less than ``ALONE_FOR_SECONDS`` ago. Only a
        hint for skipping a read ahead: each save's reads are checked exactly anyway."""
        return (self._contiguous_groups >= ALONE_AFTER_GROUPS
                and time.monotonic() - self._last_group_at < ALONE_FOR_SECONDS)

    def _note_written(self, outcomes: Sequence[Sequence[int] | BaseException]) -> None:
        ids = [i for outcome in outcomes if not isinstance(outcome, BaseException)
               for i in outcome]
        if not ids:
            return
        follows = (self._last_written_id is not None and min(ids) == self._last_written_id + 1
                   and max(ids) - min(ids) + 1 == len(ids)
                   and not any(isinstance(outcome, BaseException) for outcome in outcomes))
        self._contiguous_groups = self._contiguous_groups + 1 if follows else 0
        self._last_written_id, self._last_group_at = max(ids), time.monotonic()

    def _write_group_once(self, group: list[PendingSave]) -> list[Sequence[int] | BaseException]:
        outcomes: list[Sequence[int] | BaseException] = []
        attempt = WriteAttempt()
        lost_commit: BaseException | None = None
        with self.datastore.get_connection() as conn:
            try:
                try:
                    outcomes = list(self._transaction(conn, attempt, lambda curs: list(
                        self._write_together(curs, group, attempt)), begun_by_write=True))
                except (psycopg.IntegrityError, psycopg.DataError):
                    if len(group) == 1:
                        raise
                    outcomes = self._transaction(conn, attempt, lambda curs: [
                        self._write_alone(conn, curs, p) for p in group])
                    self.named_statements.forget(conn)  # its savepoints rolled back
            except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                if not connection_lost(conn, error):
                    raise
                if not attempt.committing:
                    raise NothingCommittedError(str(error)) from error
                lost_commit = error
        if lost_commit is None:
            return outcomes
        self.datastore.pool.check()  # a lost connection seldom goes alone: settle on a live one
        events = [e for p in group for e in p.stored_events]
        pid = attempt.backend_pid
        if attempt.xid is None and pid is not None:  # sent in one message
            return list(self._split(group, list(settle_by_rows(
                lost_commit, lambda: self._backend_gone(pid),
                lambda: self._committed_ids(events), self.settle_seconds))))
        # returns only if the transaction did commit
        settle_commit(lost_commit, attempt.xid, self._transaction_status, self.settle_seconds)
        if attempt.written is None:  # the ids were to come back with the COMMIT
            return list(self._split(group, self._ids_of(events)))
        return attempt.written

    def _transaction(self, conn: Connection[DictRow], attempt: WriteAttempt,
                     write: Callable[[Cursor[DictRow]], list[T]],
                     begun_by_write: bool = False) -> list[T]:
        """BEGIN (unless ``write`` sends it with its first statements), ``write``, COMMIT."""
        attempt.committing, attempt.committed, attempt.xid = False, False, None
        attempt.written, attempt.last_id, attempt.backend_pid = None, None, None
        with conn.cursor() as curs:
            try:
                if not begun_by_write:
                    self._begin(curs, attempt)
                written = write(curs)
            except BaseException:
                if not conn.closed and not attempt.committed:
                    with contextlib.suppress(psycopg.Error):
                        curs.execute("ROLLBACK")
                self.named_statements.forget(conn)  # psycopg may have deallocated them
                raise
            attempt.written = list(written)
            if attempt.committed:  # COMMIT went out with the write itself
                return written
            self._sending_commit(conn, attempt)
            curs.execute(COMMIT)
        return written

    def _sending_commit(self, conn: Connection[DictRow], attempt: WriteAttempt) -> None:
        """COMMIT is about to be sent on ``conn``: from here a lost connection is settled, by
        the transaction id or the server process (a seam the connection-loss tests cut at)."""
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

    def _committed_ids(self, events: Sequence[StoredEvent]) -> list[int] | None:
        """The notification ids of ``events`` if the log holds every one of them as given
        (topic and state byte for byte under its originator id and version), else None."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_stored_statement, ([e.originator_id for e in events],
                                                        [e.originator_version for e in events]))
            rows = curs.fetchall()
        if len(rows) != len(events) or any(
                (row["topic"], bytes(row["state"])) != (e.topic, bytes(e.state))
                for row, e in zip(rows, events, strict=True)):
            return None
        return [row["notification_id"] for row in rows]

    def _backend_gone(self, pid: int) -> bool:
        """Whether the server process ``pid`` has ended (its transaction is then over)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT NOT EXISTS (SELECT FROM pg_stat_activity"
                         " WHERE pid = %s AND pid <> pg_backend_pid()) AS gone", (pid,))
            row = curs.fetchone()
        return row is not None and bool(row["gone"])

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
        except psycopg.DataError as error:  # a value no column can hold (a NUL in a text)
            return DataError(str(error))

    def _write_together(self, curs: Cursor[DictRow], group: list[PendingSave],
                        attempt: WriteAttempt | None = None) -> list[Sequence[int]]:
        """The group's idempotency records, all its events in one insert, then the records'
        results. Given ``attempt``, it begins the transaction too, and commits it, in one
        message when the group is small, around its COPY when it is large (statement by
        statement when its rows cannot be packed by hand)."""
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
        if (attempt is not None and self._copies(curs.connection, events)
                and self._packs(curs.connection)):
            try:
                ids = self._begin_and_copy(curs, attempt, group, entries, log_params, events)
                return self._split(group, ids)
            except NotPackedError:  # abandoned before its end: written statement by statement
                curs.execute("ROLLBACK")
                attempt.xid = None
        copies = attempt is not None and self._copies(curs.connection, events)
        if attempt is not None:
            self._begin(curs, attempt, read_last_id=copies)
        if logged:
            curs.execute(self.insert_log_statement, log_params, prepare=True)
        last_id = attempt.last_id if attempt is not None and copies else None
        ids = self._insert_group_events(curs, events, last_id) if events else []
        reads = read_versions(group)
        if reads:  # after the events, as in the one-message way
            curs.execute(self.check_reads_statement,
                         ([i for i, _ in reads], [v for _, v in reads]), prepare=True)
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

