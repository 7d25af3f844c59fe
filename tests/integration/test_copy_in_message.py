"""A binary COPY sent inside a message of several statements (runtime.simple_query): the
results before and after it, errors on either side, and a COPY its sender abandons."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from psycopg.rows import dict_row

from runtime import simple_query
from runtime.copy_rows import PackedRows
from runtime.database import Database

pytestmark = pytest.mark.integration

COPY = "COPY copied (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"


@pytest.fixture
def conn(database: Database) -> Iterator[psycopg.Connection[Any]]:
    with database.connect() as conn:
        conn.row_factory = dict_row  # type: ignore[assignment]
        conn.autocommit = True
        conn.execute("CREATE TEMPORARY TABLE copied (originator_id uuid, originator_version"
                     " bigint, topic text, state bytea)")
        yield conn


def data(count: int) -> list[bytearray]:
    originator = uuid4()
    return list(PackedRows([StoredEvent(originator_id=originator, originator_version=v,
                                        topic="tests:Copied", state=b'{"n":%d}' % v)
                            for v in range(1, count + 1)], "uuid", chunk_bytes=64))


def count(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT count(*) AS n FROM copied").fetchone()
    assert row is not None
    return int(row["n"])


def test_a_copy_in_a_message_answers_the_results_before_and_after_it(
        conn: psycopg.Connection[Any]) -> None:
    message = f"BEGIN; SELECT 'before'; {COPY}; SELECT count(*) FROM copied; COMMIT"

    before = simple_query.first_column(simple_query.start_copy(conn, message))
    after = simple_query.first_column(simple_query.finish_copy(conn, data(30)))

    assert (before, after, count(conn)) == ([b"before"], [b"30"], 30)


def test_an_error_before_the_copy_is_raised_and_no_data_is_asked_for(
        conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.DivisionByZero):
        simple_query.start_copy(conn, f"BEGIN; SELECT 1 / 0; {COPY}; COMMIT")

    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_an_error_after_the_copy_is_raised_and_its_rows_are_not_committed(
        conn: psycopg.Connection[Any]) -> None:
    simple_query.start_copy(conn, f"BEGIN; {COPY}; SELECT 1 / 0; COMMIT")

    with pytest.raises(psycopg.errors.DivisionByZero):
        simple_query.finish_copy(conn, data(5))

    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_a_copy_its_sender_abandons_stores_nothing_and_leaves_the_connection_usable(
        conn: psycopg.Connection[Any]) -> None:
    def failing() -> Iterator[bytearray]:
        yield data(5)[0]
        raise RuntimeError("the sender failed half way")

    simple_query.start_copy(conn, f"BEGIN; {COPY}; COMMIT")

    with pytest.raises(RuntimeError, match="half way"):
        simple_query.finish_copy(conn, failing())

    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_a_message_without_a_copy_is_refused_as_one(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.ProgrammingError, match="did not start a COPY"):
        simple_query.start_copy(conn, "SELECT 1")


def test_what_is_done_after_the_data_ends_runs_before_the_commit_is_answered(
        conn: psycopg.Connection[Any]) -> None:
    seen: list[str] = []
    simple_query.start_copy(conn, f"BEGIN; {COPY}; COMMIT")

    simple_query.finish_copy(conn, data(5), lambda: seen.append("before the end"),
                             lambda: seen.append(str(conn.pgconn.transaction_status)))

    assert seen == ["before the end", str(psycopg.pq.TransactionStatus.ACTIVE)]
    assert count(conn) == 5


def test_an_error_after_the_data_ends_is_raised_once_the_commit_is_answered(
        conn: psycopg.Connection[Any]) -> None:
    def failing() -> None:
        raise RuntimeError("failed while the server committed")

    simple_query.start_copy(conn, f"BEGIN; {COPY}; COMMIT")

    with pytest.raises(RuntimeError, match="while the server committed"):
        simple_query.finish_copy(conn, data(5), after_end=failing)

    assert conn.pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert count(conn) == 5
