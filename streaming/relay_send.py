"""The relay's send loop: read a batch of the log, turn each event into its envelope, hand it to
the producer keyed by aggregate id, and settle the batch once the broker acknowledged it.

Everything per event is kept to what cannot be done once: the database writes each key (the
aggregate id's text) while it reads the batch, rows stay the tuples it sent (no object per
event), a key's partition hash is worked out the first time the key is met, and each message
goes to the partition kafka-python's default partitioner would choose (murmur2 of the key,
over the topic's partitions as the producer's metadata has them), so per-key order is the same
as if the producer had chosen it, without the pure-Python hash on every send.
"""

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from kafka import KafkaProducer
from kafka.partitioner.default import murmur2
from psycopg.sql import SQL, Identifier

from projections.log_window import Decoder
from projections.runner import RawEvent
from streaming.config import StreamingSettings
from streaming.envelope import HEADERS, encode, json_text, splice_envelope, to_envelope

# notification_id, the aggregate id's text (the key), originator_version, topic, state
Row = tuple[int, bytes, int, str, bytes]
# a row and its envelope spliced from the stored JSON (None when the splice cannot serve)
Spliced = tuple[int, bytes, int, str, bytes, bytes | None]
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
            "SELECT notification_id, convert_to(originator_id::text, 'UTF8'), originator_version,"
            " topic, state FROM public.{} WHERE notification_id > %s ORDER BY notification_id"
            " LIMIT %s").format(Identifier(events_table))
        self._routes: dict[str, str] = {}  # stored event topic -> Kafka topic
        self._hashes: dict[bytes, int] = {}  # key -> its murmur2 hash, as the partitioner takes it

    def read(self, conn: psycopg.Connection[Any], position: int) -> list[Row]:
        """The next batch of the log after ``position``, in log order."""
        return conn.execute(self._query, (position, self.settings.relay_batch_size),
                            prepare=True, binary=True).fetchall()

    def splice(self, rows: Sequence[Row]) -> list[Spliced]:
        """Each row with the envelope spliced from its stored JSON, where the splice serves."""
        source_text = self._source_text
        return [(position, key, version, topic, state,
                 splice_envelope(position, key, version, topic, state, source_text))
                for position, key, version, topic, state in rows]

    def topics_of(self, rows: Sequence[Spliced]) -> set[str]:
        """The Kafka topics a batch goes to (each event topic routed once)."""
        routes = self._routes
        for topic in {row[3] for row in rows} - routes.keys():
            routes[topic] = self.settings.topic_for(topic)
        return {routes[row[3]] for row in rows}

    def send(self, producer: KafkaProducer, rows: Sequence[Spliced]) -> InFlight:
        """Hand a batch to the producer without waiting for the broker."""
        partitions = {topic: sorted(producer.partitions_for(topic)) for topic in self.topics_of(rows)}
        routes, hashes = self._routes, self._hashes
        if len(hashes) > MAX_KEYS:
            hashes.clear()
        send, envelope = producer.send, self._envelope
        futures = []
        for position, key, version, topic, state, spliced in rows:
            hashed = hashes.get(key)
            if hashed is None:
                hashed = hashes[key] = murmur2(key) & 0x7FFFFFFF
            kafka_topic = routes[topic]
            chosen = partitions[kafka_topic]
            futures.append(send(kafka_topic, key=key, headers=HEADERS,
                                value=spliced or envelope(position, key, version, topic, state),
                                partition=chosen[hashed % len(chosen)]))
        return InFlight(rows[-1][0], futures)

    def _envelope(self, position: int, key: bytes, version: int, topic: str, state: bytes
                  ) -> bytes:
        """The envelope written from the decoded event, when the splice cannot serve."""
        raw = RawEvent(position, UUID(key.decode()), version, topic, state)
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


class ReadAhead:
    """Reads and splices the batch after a full one on a connection of its own, in a thread,
    while the full one is being sent: psycopg waits for the server without the GIL, and the
    splice runs while the sending thread waits for acknowledgements. A batch that is
    not full means the relay has caught up: nothing is read ahead, and no connection is
    opened, in the steady state."""

    def __init__(self, batches: BatchSender, conn: psycopg.Connection[Any],
                 connect: Callable[[], psycopg.Connection[Any]]) -> None:
        self.batches = batches
        self.conn = conn
        self.connect = connect
        self._own: psycopg.Connection[Any] | None = None
        self._worker: ThreadPoolExecutor | None = None
        self._pending: tuple[int, Future[list[Spliced]]] | None = None

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, *_: object) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=True)
        if self._own is not None:
            self._own.close()

    def next(self, position: int) -> list[Spliced]:
        """The batch after ``position``, spliced; the one after it is read and spliced
        meanwhile if this one is full."""
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] == position:
            rows = pending[1].result()
        else:
            rows = self.batches.splice(self.batches.read(self.conn, position))
        if len(rows) == self.batches.settings.relay_batch_size:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(1, thread_name_prefix="relay-read-ahead")
            after = rows[-1][0]
            self._pending = (after, self._worker.submit(self._read_own, after))
        return rows

    def _read_own(self, position: int) -> list[Spliced]:
        if self._own is None:
            self._own = self.connect()
        return self.batches.splice(self.batches.read(self._own, position))
