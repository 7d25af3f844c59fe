"""The event store when the server drops its connections: the library's connection-kill scenario
(``pg_terminate_backend`` of every pooled connection, what a restart or failover does) and a
COMMIT whose answer is lost, each checked for "written exactly once, or an honest error".

A slow COMMIT is made with a deferred constraint trigger that sleeps, so a test can cut the
connection while the COMMIT is on its way: by shutting the client's socket (the server goes on
and commits) or by terminating the server process (the transaction is rolled back).
"""

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import OperationalError, ProgrammingError, StoredEvent
from psycopg.sql import SQL, Identifier

from commands.ledger import Ledger
from runtime.database import Database
from runtime.event_store import PostgresLedgerRecorder, UnsupportedSettingError
from runtime.settings import Settings
from tests.integration.recorder_setup import (  # noqa: F401
    LedgerRecorderSetup,
    close_all_connections,
    conformance_db,
)

pytestmark = pytest.mark.integration


def stored_event(originator_id: uuid.UUID | None = None, version: int = 1) -> StoredEvent:
    return StoredEvent(originator_id=originator_id or uuid.uuid4(), originator_version=version,
                       topic="topic1", state=b"state1")


#: One event (written in one message with INSERT) or 40 as a large group (one message around
#: a binary COPY, the COMMIT sent with the end of its data).
SIZES = pytest.mark.parametrize("size", [1, 40], ids=["one message", "copy"])


def saved_events(size: int, monkeypatch: pytest.MonkeyPatch) -> list[StoredEvent]:
    """``size`` events of one new aggregate; more than one are written as a large group."""
    if size > 1:
        monkeypatch.setattr("runtime.group_writer.ONE_MESSAGE_BYTES", 0)
    originator = uuid.uuid4()
    return [stored_event(originator, version) for version in range(1, size + 1)]


def shut_socket(conn: psycopg.Connection[Any]) -> None:
    """The client's side of the connection dies (the server is not told)."""
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        sock.shutdown(socket.SHUT_RDWR)


class TestWritesWhenConnectionsAreLost(LedgerRecorderSetup):
    def slow_commits(self, recorder: PostgresLedgerRecorder, seconds: float) -> None:
        function = f"{self.table}_slow_commit"
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL(
                "CREATE FUNCTION {schema}.{function}() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN PERFORM pg_sleep({seconds}); RETURN NULL; END $$").format(
                schema=Identifier(self.schema), function=Identifier(function),
                seconds=seconds))
            curs.execute(SQL(
                "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON {schema}.{table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                " WHEN (NEW.originator_version = 1)"  # once per save of a new aggregate
                " EXECUTE FUNCTION {schema}.{function}()"
            ).format(schema=Identifier(self.schema), table=Identifier(recorder.events_table_name),
                     function=Identifier(function)))

    def count_begins(self, recorder: PostgresLedgerRecorder) -> list[int]:
        """A list that grows by one for each write transaction the recorder begins."""
        begun: list[int] = []
        transaction = recorder._transaction

        def counted(*args: Any, **kwargs: Any) -> Any:
            begun.append(1)
            return transaction(*args, **kwargs)

        recorder._transaction = counted  # type: ignore[method-assign]
        return begun

    def cut_first_commit(self, recorder: PostgresLedgerRecorder,
                         cut: Callable[[psycopg.Connection[Any]], None]) -> list[int]:
        """Cut the first write's connection 0.15 s after its COMMIT is sent (the commit
        trigger is still sleeping); answers the count of write transactions begun."""
        begun = self.count_begins(recorder)
        sending_commit = recorder._sending_commit

        def send_then_cut(conn: Any, *args: Any) -> Any:
            if len(begun) == 1:
                threading.Timer(0.15, cut, [conn]).start()
            return sending_commit(conn, *args)

        recorder._sending_commit = send_then_cut  # type: ignore[method-assign]
        return begun

    def terminate(self, conn: psycopg.Connection[Any]) -> None:
        with psycopg.connect(self.db["admin"], autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))

    def test_an_insert_after_the_server_closed_the_pooled_connection_is_written(self) -> None:
        recorder = self.create_recorder()
        event = stored_event()
        assert close_all_connections(self.db) >= 1

        ids = recorder.insert_events([event])

        assert [e.originator_version for e in recorder.select_events(event.originator_id)] == [1]
        assert ids == [recorder.max_notification_id()]

    def test_an_insert_after_the_server_closed_every_pooled_connection_is_written(self) -> None:
        self.with_pool_of(4)
        recorder = self.create_recorder()
        self.datastore.pool.wait(timeout=5)  # all four connections open, soon all stale
        event = stored_event()
        assert close_all_connections(self.db) >= 4

        recorder.insert_events([event])

        assert len(recorder.select_events(event.originator_id)) == 1

    def test_reads_after_the_server_closed_every_pooled_connection_answer(self) -> None:
        self.with_pool_of(4)
        recorder = self.create_recorder()
        ids = recorder.insert_events([stored_event()])
        self.datastore.pool.wait(timeout=5)
        close_all_connections(self.db)

        head = recorder.max_notification_id()

        assert ids == [head]

    def test_a_lock_timeout_is_reported_after_one_attempt(self) -> None:
        self.datastore.close()
        self.datastore = self.new_datastore(1, lock_timeout=1)
        recorder = self.create_recorder()
        begun = self.count_begins(recorder)
        with psycopg.connect(self.db["admin"], dbname=self.db["dbname"]) as holder:
            holder.execute(SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(
                Identifier(self.schema), Identifier(recorder.events_table_name)))

            with pytest.raises(OperationalError, match="lock timeout"):
                recorder.insert_events([stored_event()])

        assert len(begun) == 1

    @SIZES
    def test_a_commit_that_committed_but_lost_its_answer_gives_its_ids_without_a_retry(
            self, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
        recorder = self.create_recorder()
        self.slow_commits(recorder, 0.6)
        begun = self.cut_first_commit(recorder, shut_socket)
        events = saved_events(size, monkeypatch)

        ids = recorder.insert_events(events)

        logged = recorder.select_notifications(1, 100)  # a new table: only these events
        assert (len(begun), ids) == (1, [n.id for n in logged])
        assert [n.originator_version for n in logged] == [e.originator_version for e in events]

    @SIZES
    def test_a_commit_cut_off_before_it_committed_is_written_again_once(
            self, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
        recorder = self.create_recorder()
        self.slow_commits(recorder, 0.6)
        begun = self.cut_first_commit(recorder, self.terminate)
        events = saved_events(size, monkeypatch)

        recorder.insert_events(events)

        assert (len(begun), len(recorder.select_events(events[0].originator_id))) == (2, size)

    @SIZES
    def test_a_commit_still_unsettled_after_the_wait_is_reported_as_unknown(
            self, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
        recorder = self.create_recorder()
        recorder.settle_seconds = 0.2
        self.slow_commits(recorder, 1.5)
        begun = self.cut_first_commit(recorder, shut_socket)

        with pytest.raises(OperationalError, match="cannot yet tell"):
            recorder.insert_events(saved_events(size, monkeypatch))

        assert len(begun) == 1
        time.sleep(1.5)  # let the server finish before the table is dropped

    def test_a_lost_write_whose_keys_hold_other_bytes_did_not_commit(self) -> None:
        recorder = self.create_recorder()
        event = stored_event()
        ids = recorder.insert_events([event])
        other = StoredEvent(originator_id=event.originator_id, originator_version=1,
                            topic=event.topic, state=b"state2")

        found = (recorder._committed_ids([event]), recorder._committed_ids([other]),
                 recorder._committed_ids([event, stored_event()]))

        assert found == (ids, None, None)

    def test_a_server_process_counts_as_ended_only_once_it_has_ended(self) -> None:
        with psycopg.connect(self.db["admin"], autocommit=True) as other:
            pid = other.info.backend_pid
            recorder = self.create_recorder()
            while_running = recorder._backend_gone(pid)
            self.terminate(other)
            deadline = time.monotonic() + 5
            while not recorder._backend_gone(pid) and time.monotonic() < deadline:
                time.sleep(0.02)

            assert (while_running, recorder._backend_gone(pid)) == (False, True)

    def test_a_configured_insert_statement_is_used(self) -> None:
        recorder = self.create_recorder()
        recorder.insert_events_statement = SQL(
            "INSERT INTO {}.{} (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, upper(topic), state FROM unnest(%s)"
            " RETURNING notification_id").format(Identifier(self.schema),
                                                 Identifier(recorder.events_table_name))
        event = stored_event()

        recorder.insert_events([event])

        assert recorder.select_events(event.originator_id)[0].topic == "TOPIC1"

    def test_a_configured_insert_statement_that_returns_no_ids_is_refused(self) -> None:
        recorder = self.create_recorder()
        recorder.insert_events_statement = SQL(
            "INSERT INTO {}.{} (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state FROM unnest(%s)").format(
            Identifier(self.schema), Identifier(recorder.events_table_name))

        with pytest.raises(ProgrammingError, match="Couldn't get all notification IDs"):
            recorder.insert_events([stored_event()])


def test_enable_db_functions_is_refused_when_the_store_is_built(
        database: Database, settings: Settings) -> None:
    env = {**database.eventsourcing_env(settings), "POSTGRES_ENABLE_DB_FUNCTIONS": "y"}

    with pytest.raises(UnsupportedSettingError, match="unset POSTGRES_ENABLE_DB_FUNCTIONS"):
        Ledger(env=env)
