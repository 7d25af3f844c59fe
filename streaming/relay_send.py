"""The relay's send loop: read a batch of the log, turn each event into its envelope, hand it to
the producer keyed by aggregate id, and settle the batch once the broker acknowledged it.

Everything per event is kept to what cannot be done once: rows stay the tuples the database
sent (no object per event), an aggregate's key and its partition hash are worked out the first
time the aggregate is met, and each message goes to the partition kafka-python's default
partitioner would choose (murmur2 of the key, over the topic's partitions as the producer's
metadata has them), so per-key order is the same as if the producer had chosen it, without the
pure-Python hash on every send.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from kafka import KafkaProducer
from kafka.partitioner.default import murmur2
from psycopg.sql import SQL, Identifier

from projections.runner import Decoder, RawEvent
from streaming.config import StreamingSettings
from streaming.envelope import HEADERS, encode, json_text, splice_envelope, to_envelope

# notification_id, originator_id, originator_version, topic, state: as the database sends them
Row = tuple[int, UUID, int, str, bytes]
MAX_KEYS = 50_000


def partition_key(topic: str, partition: int) -> str:
    """How the relay and the feeders name a partition in stored offsets."""
    return f"{topic}:{partition}"


@dataclass
class InFlight:
    """One batch sent and not yet settled."""

    position: int
    futures: list[Any]


class BatchSender:
    """Reads the log after a position and sends it, one batch at a time."""

    def __init__(self, events_table: str, decode: Decoder, settings: StreamingSettings,
                 source: str) -> None:
        self.settings = settings
        self.decode = decode
        self.source = source
        self._source_text = json_text(source)
        self._query = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM public.{} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(events_table))
        self._routes: dict[str, str] = {}  # stored event topic -> Kafka topic
        self._keys: dict[UUID, tuple[bytes, int]] = {}  # aggregate id -> its key and hash

    def read(self, conn: psycopg.Connection[Any], position: int) -> list[Row]:
        """The next batch of the log after ``position``, in log order."""
        return conn.execute(self._query, (position, self.settings.relay_batch_size),
                            prepare=True, binary=True).fetchall()

    def topics_of(self, rows: Sequence[Row]) -> set[str]:
        """The Kafka topics a batch goes to (each event topic routed once)."""
        routes = self._routes
        for topic in {row[3] for row in rows} - routes.keys():
            routes[topic] = self.settings.topic_for(topic)
        return {routes[row[3]] for row in rows}

    def send(self, producer: KafkaProducer, rows: Sequence[Row]) -> InFlight:
        """Hand a batch to the producer without waiting for the broker."""
        partitions = {topic: sorted(producer.partitions_for(topic)) for topic in self.topics_of(rows)}
        routes, keys = self._routes, self._keys
        if len(keys) > MAX_KEYS:
            keys.clear()
        send, source_text, envelope = producer.send, self._source_text, self._slow_envelope
        futures = []
        for position, aggregate_id, version, topic, state in rows:
            known = keys.get(aggregate_id)
            if known is None:
                text = str(aggregate_id).encode()
                known = keys[aggregate_id] = (text, murmur2(text) & 0x7FFFFFFF)
            key, hashed = known
            value = (splice_envelope(position, key, version, topic, state, source_text)
                     or envelope(RawEvent(position, aggregate_id, version, topic, state)))
            kafka_topic = routes[topic]
            chosen = partitions[kafka_topic]
            futures.append(send(kafka_topic, key=key, value=value, headers=HEADERS,
                                partition=chosen[hashed % len(chosen)]))
        return InFlight(rows[-1][0], futures)

    def _slow_envelope(self, raw: RawEvent) -> bytes:
        return encode(to_envelope(raw, self.decode(raw), self.source))

    def settle(self, batch: InFlight) -> dict[str, int]:
        """Wait until the broker acknowledged every message; the next offsets by partition.
        Raises the first delivery error (or a timeout)."""
        timeout = self.settings.request_timeout_ms * 3 / 1000
        acked: dict[tuple[str, int], int] = {}
        for future in batch.futures:
            metadata = future.get(timeout=timeout)
            where = (metadata.topic, metadata.partition)
            if metadata.offset >= acked.get(where, 0):
                acked[where] = metadata.offset + 1
        return {partition_key(*where): offset for where, offset in acked.items()}

