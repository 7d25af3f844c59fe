"""What a Kafka-fed projection keeps in PostgreSQL besides its rows, in its own generation.

``kafka_offsets`` has one row per partition of the projection's topics: the next offset to
read, the last log position applied from the partition (the dedup key: a partition's events
are applied in log order, so a delivery at or below it is a duplicate), and the watermark
(every event of the partition up to it is applied). The tracking position is the smallest
watermark, so read-your-writes waits for the slowest partition. Poison events become dead
letters in the catalog, as with the log runner, so ``vcio projections retry`` serves both.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from kafka import TopicPartition
from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier

from projections.catalog import CATALOG_SCHEMA
from projections.runner import RawEvent
from streaming.partitions import PartitionState

log = logging.getLogger(__name__)


def open_offsets(cur: Cursor[Any], every: Iterable[TopicPartition]) -> dict[TopicPartition, PartitionState]:
    """The stored progress of every partition; rows made on first use start at the tracking
    position, so a generation built from the log hands over to Kafka without re-applying."""
    cur.execute("CREATE TABLE IF NOT EXISTS kafka_offsets (topic text, partition int,"
                " next_offset bigint NOT NULL, applied_position bigint NOT NULL,"
                " watermark bigint NOT NULL, PRIMARY KEY (topic, partition))")
    cur.executemany("INSERT INTO kafka_offsets SELECT %s, %s, 0, position, position FROM tracking"
                    " ON CONFLICT DO NOTHING", [(tp.topic, tp.partition) for tp in every])
    cur.execute("SELECT topic, partition, next_offset, applied_position, watermark FROM kafka_offsets")
    return {TopicPartition(r[0], r[1]): PartitionState(TopicPartition(r[0], r[1]), *r[2:])
            for r in cur.fetchall()}


def lock_applied(cur: Cursor[Any], tps: Iterable[TopicPartition]) -> dict[TopicPartition, int]:
    """Lock the rows of the given partitions; their applied positions."""
    chosen = list(tps)
    cur.execute("SELECT topic, partition, applied_position FROM kafka_offsets"
                " WHERE (topic, partition) IN (SELECT * FROM unnest(%s::text[], %s::int[]))"
                " ORDER BY topic, partition FOR UPDATE",
                ([tp.topic for tp in chosen], [tp.partition for tp in chosen]))
    return {TopicPartition(r[0], r[1]): int(r[2]) for r in cur.fetchall()}


def save_progress(cur: Cursor[Any], tp: TopicPartition, next_offset: int, applied: int,
                  watermark: int) -> None:
    cur.execute("UPDATE kafka_offsets SET next_offset = %s, applied_position = %s,"
                " watermark = GREATEST(watermark, %s) WHERE topic = %s AND partition = %s",
                (next_offset, applied, watermark, tp.topic, tp.partition))


def advance_tracking(cur: Cursor[Any]) -> None:
    """Move the tracking position up to the smallest watermark, at the end of a batch.

    Feeders that split a projection's partitions write their own rows concurrently, so the
    tracking row is locked first, in a statement of its own, and the minimum is read by the
    next statement: its snapshot (READ COMMITTED) holds the watermarks of every feeder that
    moved the position before, as they committed to release the lock. Done in one statement,
    a feeder that waited for the lock would compute the minimum from the snapshot it took
    before waiting, without the other feeder's new watermarks; two feeders finishing together
    then each left the position at the other's old watermark, below the minimum, and it stayed
    there once both were idle (read-your-writes waited forever). Under REPEATABLE READ the
    lock raises a serialization failure instead, and the caller retries the batch."""
    cur.execute("SELECT position FROM tracking FOR UPDATE")
    cur.execute("UPDATE tracking SET position = GREATEST(position,"
                " (SELECT min(watermark) FROM kafka_offsets)), updated_at = now()")


def apply_isolating_poison(conn: Connection[Any], cur: Cursor[Any], name: str,
                           apply: Callable[[Cursor[Any], RawEvent], None],
                           events: list[RawEvent]) -> int:
    """Apply in one savepoint; on failure, event by event, setting poison events aside as
    dead letters. Returns the number of dead letters."""
    try:
        with conn.transaction():
            for raw in events:
                apply(cur, raw)
        return 0
    except Exception:  # noqa: BLE001 - any failure marks a poison event, handled below
        log.warning("kafka feeder %s: batch failed, isolating poison events", name)
    dead = 0
    for raw in events:
        try:
            with conn.transaction():
                apply(cur, raw)
        except Exception as error:  # noqa: BLE001 - recorded as a dead letter, not swallowed
            dead += 1
            log.error("kafka feeder %s: dead letter at %s: %r", name, raw.position, error)
            cur.execute(SQL(
                "INSERT INTO {}.dead_letters (projection, position, topic, originator_id,"
                " originator_version, error) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (projection, position) DO UPDATE SET error = excluded.error,"
                " recorded_at = now(), resolved_at = NULL").format(Identifier(CATALOG_SCHEMA)),
                (name, raw.position, raw.topic, raw.originator_id, raw.originator_version,
                 f"{type(error).__name__}: {error}"))
    return dead
