"""A window of the log is read from the id index in id order, even from a log whose planner
statistics are stale (a bulk import just written, before autovacuum): sorted instead, the
whole range was bitmap-scanned and sorted on disk, most of the server's time in a rebuild.
The planner setting that keeps it so lasts only as long as the caller wants it."""

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.sql import Identifier

from projections.log_window import SCAN_WINDOW_BATCHES, read_window, window_query

pytestmark = pytest.mark.integration

EVENTS = 20_000
WINDOW = 1_000
TOPICS = ["t.a", "t.b"]


@pytest.fixture
def log_without_statistics(database: Any) -> Iterator[psycopg.Cursor[Any]]:
    """A cursor on a connection holding a temporary log of EVENTS events, never analysed
    (autovacuum never looks at temporary tables)."""
    with psycopg.connect(database.conninfo) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE log (notification_id bigint NOT NULL UNIQUE,"
                    " originator_id uuid NOT NULL, originator_version int NOT NULL,"
                    " topic text NOT NULL, state bytea NOT NULL)")
        cur.execute("INSERT INTO log SELECT n, gen_random_uuid(), 1,"
                    " CASE WHEN n %% 2 = 0 THEN 't.a' ELSE 't.b' END,"
                    " convert_to(repeat('x', 500), 'UTF8') FROM generate_series(1, %s) n",
                    (EVENTS,))
        conn.commit()
        yield cur


def window_plan(cur: psycopg.Cursor[Any], after: int) -> str:
    cur.execute(b"EXPLAIN " + window_query(Identifier("log")).as_bytes(cur),
                (after, after + SCAN_WINDOW_BATCHES * WINDOW, TOPICS, WINDOW))
    return "\n".join(row[0] for row in cur.fetchall())


def test_a_window_of_a_log_without_statistics_is_read_in_id_order_without_a_sort(
        log_without_statistics: psycopg.Cursor[Any]) -> None:
    cur = log_without_statistics

    rows, end, _ = read_window(cur, Identifier("log"), 5_000, TOPICS, WINDOW, alone=True)
    plan = window_plan(cur, 5_000)

    assert [r.position for r in rows] == list(range(5_001, 6_001)) and end == 6_000
    assert "Index Scan" in plan and "Sort" not in plan


def test_a_window_read_alone_leaves_sorting_off_to_the_end_of_its_transaction(
        log_without_statistics: psycopg.Cursor[Any]) -> None:
    cur = log_without_statistics

    read_window(cur, Identifier("log"), 0, TOPICS, WINDOW, alone=True)
    during = cur.execute("SHOW enable_sort").fetchone()
    cur.connection.commit()
    after = cur.execute("SHOW enable_sort").fetchone()

    assert during == ("off",) and after == ("on",)


@pytest.mark.parametrize("after", [0, EVENTS], ids=["events read", "nothing past the head"])
def test_a_window_read_inside_a_longer_transaction_turns_sorting_back_on(
        log_without_statistics: psycopg.Cursor[Any], after: int) -> None:
    cur = log_without_statistics

    read_window(cur, Identifier("log"), after, TOPICS, WINDOW)

    assert cur.execute("SHOW enable_sort").fetchone() == ("on",)
