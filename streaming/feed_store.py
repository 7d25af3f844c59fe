"""What a Kafka-fed projection keeps in PostgreSQL besides its rows, in its own generation.

``kafka_offsets`` has one row per partition of the projection's topics: the next offset to
read, the last log position applied from the partition, and the watermark (every event of the
partition up to it is applied). The tracking position is the smallest watermark, so
read-your-writes waits for the slowest partition.

Duplicates are recognised by event identity, never by partition position (a republished
history lands in other partitions and at other offsets): ``kafka_applied`` holds the last
version applied per aggregate, and a feeder applies each aggregate's events in version order,
so a delivery at or below it was applied already. ``kafka_feed`` holds the relay epoch the
offsets belong to and the floor, the tracking position when Kafka first fed this generation
(events at or below it came from the log). Poison events become dead letters in the catalog,
as with the log runner, so ``vcio projections retry`` serves both.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from kafka import TopicPartition
from psycopg import Connection, Cursor

from projections.dead_letters import record_dead_letter
from projections.runner import RawEvent
from streaming.partitions import PartitionState

log = logging.getLogger(__name__)


def create_offsets_table(cur: Cursor[Any]) -> None:
    cur.execute("CREATE TABLE IF NOT EXISTS kafka_offsets (topic text, partition int,"
                " next_offset bigint NOT NULL, applied_position bigint NOT NULL,"
                " watermark bigint NOT NULL, PRIMARY KEY (topic, partition))")


def open_offsets(cur: Cursor[Any], every: Iterable[TopicPartition]) -> dict[TopicPartition, PartitionState]:
    """The stored progress of every partition; rows made on first use start at the tracking
    position, so a generation built from the log hands over to Kafka without re-applying."""
    create_offsets_table(cur)
    chosen = list(every)
    cur.execute("DELETE FROM kafka_offsets WHERE (topic, partition) NOT IN"
                " (SELECT * FROM unnest(%s::text[], %s::int[]))",
                ([tp.topic for tp in chosen], [tp.partition for tp in chosen]))
    cur.executemany("INSERT INTO kafka_offsets SELECT %s, %s, 0, position, position FROM tracking"
                    " ON CONFLICT DO NOTHING", [(tp.topic, tp.partition) for tp in chosen])
    cur.execute("SELECT topic, partition, next_offset, applied_position, watermark FROM kafka_offsets")
    return {TopicPartition(r[0], r[1]): PartitionState(TopicPartition(r[0], r[1]), *r[2:])
            for r in cur.fetchall()}


def open_feed(cur: Cursor[Any], relay_epoch: int, name: str) -> int:
    """The floor of this generation's Kafka feed. When the relay republished into new topics
    (its epoch moved), the stored offsets belong to topics that are gone: they are dropped,
    and the partitions are read again from their start (what was applied is recognised by
    identity). Call under the feeder's transaction lock, before ``open_offsets``."""
    create_offsets_table(cur)
    cur.execute("CREATE TABLE IF NOT EXISTS kafka_feed (epoch bigint NOT NULL, floor bigint NOT NULL)")
    cur.execute("CREATE TABLE IF NOT EXISTS kafka_applied (originator_id uuid PRIMARY KEY,"
                " version bigint NOT NULL)")
    cur.execute("SELECT epoch, floor FROM kafka_feed")
    row = cur.fetchone()
    if row is None:
        cur.execute("INSERT INTO kafka_feed SELECT %s, position FROM tracking RETURNING floor",
                    (relay_epoch,))
        return int(cur.fetchone()[0])  # type: ignore[index]
    if int(row[0]) != relay_epoch:
        log.warning("kafka feeder %s: the relay republished into new topics (epoch %s -> %s);"
                    " reading them again from the start, dropping what was applied by identity",
                    name, row[0], relay_epoch)
        cur.execute("DELETE FROM kafka_offsets")
        cur.execute("UPDATE kafka_feed SET epoch = %s", (relay_epoch,))
    return int(row[1])


def applied_versions(cur: Cursor[Any], aggregates: Iterable[Any]) -> dict[Any, int]:
    """The last version applied of each of these aggregates (absent: none yet)."""
    cur.execute("SELECT originator_id, version FROM kafka_applied WHERE originator_id = ANY(%s)",
                (list(set(aggregates)),))
    return {r[0]: int(r[1]) for r in cur.fetchall()}


def save_applied_versions(cur: Cursor[Any], versions: dict[Any, int]) -> None:
    if versions:
        cur.execute("INSERT INTO kafka_applied SELECT * FROM unnest(%s::uuid[], %s::bigint[])"
                    " ON CONFLICT (originator_id) DO UPDATE SET version ="
                    " GREATEST(kafka_applied.version, excluded.version)",
                    (list(versions), list(versions.values())))


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


def apply_isolating_poison(conn: Connection[Any], cur: Cursor[Any], name: str, generation: int,
                           apply: Callable[[Cursor[Any], RawEvent], None],
                           events: list[RawEvent]) -> int:
    """Apply in one savepoint; on failure, event by event, setting poison events aside as
    dead letters (``projections.dead_letters``: text made storable, its own savepoint, a plain
    fallback), so a NUL or a broken character in the error never stops the feeder.
    Returns the number of dead letters."""
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
            record_dead_letter(conn, cur, name, generation, raw, error)
    return dead
