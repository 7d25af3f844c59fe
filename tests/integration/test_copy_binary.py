"""Runs of projection rows written by binary COPY read back exactly as the same rows written
by text COPY, and a run that cannot go in binary is written, or refused, as text always did."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg import Cursor

from projections.copy_binary import TableTypes
from projections.write_behind import RowsInserter, WriteBehindCursor
from runtime.database import Database

pytestmark = pytest.mark.integration

COLUMNS = ("id", "position", "revision", "tiny", "flag", "tenant", "note", "observed_at", "day")
TABLE = ("CREATE TABLE {} (id uuid, position bigint, revision int, tiny smallint, flag bool,"
         " tenant text, note text, observed_at timestamptz, day date)")


@pytest.fixture
def cur(database: Database) -> Iterator[Cursor[Any]]:
    """A cursor in a transaction on a schema of its own, rolled back after the test."""
    with database.connect() as conn, conn.cursor() as cursor:
        schema = f"copy_binary_{uuid4().hex[:12]}"
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET LOCAL search_path TO {schema}, public")
        for table in ("by_binary", "by_text"):
            cursor.execute(TABLE.format(table))
        yield cursor
        conn.rollback()


class CopyStatements:
    """Records the COPY statements a cursor is given (and runs them)."""

    def __init__(self, cursor: Cursor[Any]) -> None:
        self.cursor, self.copies = cursor, []

    def copy(self, statement: str) -> Any:
        self.copies.append(statement)
        return self.cursor.copy(statement)

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self.cursor.execute(*args, **kwargs)

    def fetchall(self) -> Any:
        return self.cursor.fetchall()

    @property
    def connection(self) -> Any:
        return self.cursor.connection


def hostile_rows() -> list[tuple[Any, ...]]:
    """Values at the edges of each column's type, and text that text COPY must escape."""
    far = timezone(timedelta(hours=-11, minutes=-30))
    return [
        (uuid4(), 2**63 - 1, 2**31 - 1, 2**15 - 1, True, "ünïcødé ✓ 𝄞", "tab\there\nnew\\line\r",
         datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), datetime.max.date()),
        (uuid4(), -(2**63), -(2**31), -(2**15), False, "", "\\N", datetime(1, 1, 2, tzinfo=UTC),
         datetime.min.date()),
        (None, None, None, None, None, None, None, None, None),
        (uuid4(), 0, 0, 0, True, "msp", "'quoted' \"double\" {x,y}",
         datetime(2026, 3, 1, 12, 30, 15, 123_456, tzinfo=far), datetime(2026, 3, 1).date()),
    ]


def read_back(cur: Cursor[Any], table: str) -> list[tuple[Any, ...]]:
    cur.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY position NULLS LAST")
    return cur.fetchall()


def test_rows_written_by_binary_copy_read_back_as_the_same_rows_written_by_text_copy(
        cur: Cursor[Any]) -> None:
    rows = hostile_rows()
    RowsInserter("by_text", COLUMNS).copy(cur, rows)

    RowsInserter("by_binary", COLUMNS).copy(cur, rows, TableTypes())

    assert read_back(cur, "by_binary") == read_back(cur, "by_text")


def test_rows_that_fit_their_columns_go_by_binary_copy(cur: Cursor[Any]) -> None:
    recording = CopyStatements(cur)

    RowsInserter("by_binary", COLUMNS).copy(recording, hostile_rows(), TableTypes())  # type: ignore[arg-type]

    assert ["FORMAT BINARY" in statement for statement in recording.copies] == [True]


def test_a_run_with_a_string_in_a_uuid_column_is_written_by_text_copy_as_before(
        cur: Cursor[Any]) -> None:
    rows = hostile_rows()
    rows[0] = (str(uuid4()), *rows[0][1:])
    recording = CopyStatements(cur)

    RowsInserter("by_binary", COLUMNS).copy(recording, rows, TableTypes())  # type: ignore[arg-type]

    assert (["FORMAT BINARY" in s for s in recording.copies], len(read_back(cur, "by_binary"))
            ) == ([False], len(rows))


def refusal(cur: Cursor[Any], rows: list[tuple[Any, ...]], types: TableTypes | None) -> str:
    """The error a COPY of ``rows`` ends with (rolled back to a savepoint after)."""
    try:
        with cur.connection.transaction():
            RowsInserter("by_binary", COLUMNS).copy(cur, rows, types)
    except (psycopg.Error, ValueError, OverflowError) as error:
        return f"{type(error).__name__}: {error}"
    return "accepted"


def test_a_nul_in_a_string_is_refused_exactly_as_text_copy_refuses_it(cur: Cursor[Any]) -> None:
    rows = hostile_rows()
    rows[1] = (*rows[1][:6], "a\x00b", *rows[1][7:])

    refused = refusal(cur, rows, TableTypes())

    assert refused == refusal(cur, rows, None) != "accepted"


def test_an_integer_out_of_its_column_s_range_is_refused_exactly_as_text_copy_refuses_it(
        cur: Cursor[Any]) -> None:
    rows = hostile_rows()
    rows[3] = (*rows[3][:2], 10**10, *rows[3][3:])

    refused = refusal(cur, rows, TableTypes())

    assert refused == refusal(cur, rows, None) != "accepted"


def test_a_table_with_a_column_type_not_packed_here_is_written_in_text(cur: Cursor[Any]) -> None:
    cur.execute("CREATE TABLE priced (id uuid, price numeric)")

    found = TableTypes().binary(cur, "priced", ("id", "price"))

    assert found is None


def test_the_column_types_of_a_table_are_looked_up_once(cur: Cursor[Any]) -> None:
    types = TableTypes()
    types.binary(cur, "by_binary", COLUMNS)
    recording = CopyStatements(cur)
    looked_up: list[Any] = []
    recording.execute = lambda *args, **kwargs: looked_up.append(args)  # type: ignore[method-assign]

    found = types.binary(recording, "by_binary", COLUMNS)  # type: ignore[arg-type]

    assert (found, looked_up) == (
        ("uuid", "int8", "int4", "int2", "bool", "text", "text", "timestamptz", "date"), [])


def test_a_run_held_by_the_write_behind_cursor_goes_by_binary_copy(cur: Cursor[Any]) -> None:
    rows = hostile_rows()
    recording = CopyStatements(cur)
    inserter = RowsInserter("by_binary", COLUMNS)
    with WriteBehindCursor(recording, TableTypes()) as writes:  # type: ignore[arg-type]
        inserter.write_rows(writes.as_cursor(), rows)

    assert (["FORMAT BINARY" in s for s in recording.copies], len(read_back(cur, "by_binary"))
            ) == ([True], len(rows))
