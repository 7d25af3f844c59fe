"""Runs of rows upserted through a COPY-loaded staging table leave what upserting them one at
a time, in log order, would leave."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg import Connection
from psycopg.sql import SQL, Identifier

from projections.staged_upsert import StagedUpserter

pytestmark = pytest.mark.integration

upsert = StagedUpserter("notes", ("key", "body"), ("key",),
                        "ON CONFLICT (key) DO UPDATE SET body = excluded.body")


@pytest.fixture
def conn(database: Any) -> Iterator[Connection[Any]]:
    schema = f"staged_{uuid4().hex[:10]}"
    with psycopg.connect(database.conninfo) as conn:
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
        conn.execute(SQL("SET search_path TO {}").format(Identifier(schema)))
        conn.execute("CREATE TABLE notes (key int PRIMARY KEY, body text NOT NULL)")
        conn.commit()
        yield conn
        conn.rollback()
        conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))
        conn.commit()


def notes(conn: Connection[Any]) -> dict[int, str]:
    return dict(conn.execute("SELECT key, body FROM notes").fetchall())


def test_a_run_leaves_the_last_row_of_each_key(conn: Connection[Any]) -> None:
    with conn.cursor() as cur:
        upsert(cur, [(1, "first"), (2, "other"), (1, "second")])

    assert notes(conn) == {1: "second", 2: "other"}


def test_a_run_updates_a_row_already_in_the_table(conn: Connection[Any]) -> None:
    conn.execute("INSERT INTO notes VALUES (1, 'stored')")
    with conn.cursor() as cur:
        upsert(cur, [(1, "changed"), (3, "new")])

    assert notes(conn) == {1: "changed", 3: "new"}


def test_a_second_run_in_the_same_transaction_does_not_apply_the_first_again(
        conn: Connection[Any]) -> None:
    with conn.cursor() as cur:
        upsert(cur, [(1, "copied"), (2, "copied")])
        cur.execute("UPDATE notes SET body = 'changed since' WHERE key = 1")
        upsert(cur, [(3, "later"), (4, "later")])

    assert notes(conn) == {1: "changed since", 2: "copied", 3: "later", 4: "later"}


def test_a_run_after_a_failed_run_rolled_back_to_its_savepoint_is_applied(
        conn: Connection[Any]) -> None:
    with conn.cursor() as cur:
        with pytest.raises(psycopg.DataError), conn.transaction():
            upsert(cur, [(1, "poison \x00"), (2, "fine")])
        upsert(cur, [(3, "after"), (4, "after")])

    assert notes(conn) == {3: "after", 4: "after"}


def test_the_staging_table_is_empty_after_commit(conn: Connection[Any]) -> None:
    with conn.cursor() as cur:
        upsert(cur, [(1, "a"), (2, "b")])
    conn.commit()

    assert conn.execute("SELECT count(*) FROM staged_notes").fetchone() == (0,)
