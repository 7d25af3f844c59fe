"""What a Kafka-fed projection keeps in PostgreSQL: feeders that split a projection's
partitions share its tracking row (the position they leave is the smallest watermark, however
their last transactions interleave), and poison events become dead letters whatever their text."""

import threading
import time
import uuid
from typing import Any

import psycopg
import pytest
from kafka import TopicPartition
from psycopg import sql

from projections.catalog import CATALOG_SCHEMA, create_catalog, create_generation, generation_schema
from projections.runner import RawEvent
from runtime.database import Database
from streaming.feed_store import advance_tracking, apply_isolating_poison, open_offsets, save_progress

pytestmark = [pytest.mark.integration]


def connect(database: Database, schema: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(database.conninfo)
    conn.execute(f'SET search_path TO "{schema}", public')  # noqa: S608 - a name made here
    conn.commit()
    return conn


def wait_until_blocked_on_a_lock(database: Database, pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(database.conninfo, autocommit=True) as watcher:
        while watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                              (pid,)).fetchone()[0] != "Lock":
            assert time.monotonic() < deadline, "the second feeder never waited for the first"
            time.sleep(0.01)


def test_two_feeders_finishing_together_leave_tracking_at_the_smallest_watermark(
        database: Database) -> None:
    name = f"split_{uuid.uuid4().hex[:8]}"
    schema = generation_schema(name, 1)
    with psycopg.connect(database.conninfo) as conn, conn.cursor() as cur:
        create_generation(cur, name, 1)
        cur.execute(f'SET LOCAL search_path TO "{schema}", public')  # noqa: S608
        tps = [TopicPartition("t.clients", p) for p in range(4)]
        open_offsets(cur, tps)

    first, second = connect(database, schema), connect(database, schema)
    try:
        # each feeder brings its own partitions to position 100 and moves the tracking row,
        # the second one while the first has not committed yet
        for tp in tps[:2]:
            save_progress(first.cursor(), tp, 10, 100, 100)
        advance_tracking(first.cursor())
        for tp in tps[2:]:
            save_progress(second.cursor(), tp, 10, 100, 100)
        failure: list[BaseException] = []

        def finish_second() -> None:
            try:
                advance_tracking(second.cursor())
                second.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                failure.append(error)

        finishing = threading.Thread(target=finish_second)
        finishing.start()
        wait_until_blocked_on_a_lock(database, second.info.backend_pid)
        first.commit()
        finishing.join(timeout=10)
        assert not finishing.is_alive() and not failure, failure

        with connect(database, schema) as reader:
            watermark = reader.execute("SELECT min(watermark) FROM kafka_offsets").fetchone()[0]
            tracking = reader.execute("SELECT position FROM tracking").fetchone()[0]
        assert (watermark, tracking) == (100, 100)
    finally:
        first.close()
        second.close()


def test_a_poison_event_whose_error_and_topic_hold_nul_and_broken_text_is_dead_lettered(
        database: Database) -> None:
    name = f"poison_{uuid.uuid4().hex[:8]}"
    events = [RawEvent(position, uuid.uuid4(), 1, "aggregates.client:Client.X", b"{}")
              for position in (1, 2, 3)]
    poison = RawEvent(2, events[1].originator_id, 1, "aggregates.client:Client.\x00Bad", b"{}")
    events[1] = poison
    applied: list[int] = []

    def apply(cur: Any, raw: RawEvent) -> None:
        if raw is poison:
            raise ValueError("note 'a\x00b' cannot be stored: \udc80")
        applied.append(raw.position)

    with psycopg.connect(database.conninfo) as conn, conn.cursor() as cur:
        create_catalog(cur)
        dead = apply_isolating_poison(conn, cur, name, 1, apply, events)
        letters = cur.execute(sql.SQL("SELECT position, topic, error, generation FROM {}.dead_letters"
                                      " WHERE projection = %s").format(
            sql.Identifier(CATALOG_SCHEMA)), (name,)).fetchall()

    assert dead == 1
    assert applied[-2:] == [1, 3]
    [(position, topic, error, generation)] = letters
    assert (position, generation) == (2, 1)
    assert "\x00" not in topic + error
    assert error.startswith("ValueError: note 'a\\u0000b' cannot be stored")
