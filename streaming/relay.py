"""The relay: publishes every event of the PostgreSQL log to Kafka, at least once, in log order.

Each batch reads the events after the relay's position (ordered by notification id, as the
batch projector does; the event store's table lock makes commit order equal id order, so no
event can appear later below a position already read), sends them all keyed by aggregate id,
waits until the broker has acknowledged every one (``acks="all"``, idempotent producer), and
only then writes the new position to ``vcio_streaming.relay_position``. A crash or a broker
outage between the send and that write re-publishes the batch: duplicates, never a gap.

With the position the relay records, per partition, the offset after the last acknowledged
message. Kafka-fed projections read that row to know when they hold every event up to the
position in their partitions, which lets them apply events in log order across partitions.
One relay runs at a time per name (a session advisory lock); others stand by.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from kafka import KafkaProducer
from kafka.errors import KafkaError
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb

from projections.runner import Decoder, RawEvent
from streaming.broker import build_producer, ensure_topics
from streaming.config import StreamingSettings
from streaming.envelope import HEADERS, encode, to_envelope

log = logging.getLogger(__name__)

SCHEMA = "vcio_streaming"
NOTIFY_CHANNEL = "vcio_relay"


def partition_key(topic: str, partition: int) -> str:
    return f"{topic}:{partition}"


def create_relay_table(cur: psycopg.Cursor[Any]) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-streaming-schema'))")
    cur.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(SCHEMA)))
    cur.execute(SQL(
        "CREATE TABLE IF NOT EXISTS {}.relay_position (name text PRIMARY KEY,"
        " position bigint NOT NULL DEFAULT 0, offsets jsonb NOT NULL DEFAULT '{{}}',"
        " updated_at timestamptz NOT NULL DEFAULT now())").format(Identifier(SCHEMA)))


def read_relay_position(cur: psycopg.Cursor[Any], name: str) -> tuple[int, dict[str, int]]:
    """The relay's position and the per-partition offsets acknowledged up to it."""
    cur.execute(SQL("SELECT position, offsets FROM {}.relay_position WHERE name = %s").format(
        Identifier(SCHEMA)), (name,))
    row = cur.fetchone()
    return (int(row[0]), dict(row[1])) if row else (0, {})


class Relay:
    """Follows the event log of one ledger and publishes it to Kafka."""

    def __init__(self, conninfo: str, events_table: str, decode: Decoder,
                 settings: StreamingSettings,
                 producer_factory: Callable[[StreamingSettings], KafkaProducer] = build_producer
                 ) -> None:
        self.conninfo = conninfo
        self.events_table = events_table
        self.decode = decode
        self.settings = settings
        self.name = settings.relay_name
        self.source = f"vcio-ledger/{events_table}"
        self.producer_factory = producer_factory
        self._producer: KafkaProducer | None = None
        self._ensured: set[str] = set()

    def ensure_created(self) -> None:
        with psycopg.connect(self.conninfo) as conn, conn.cursor() as cur:
            create_relay_table(cur)
            cur.execute(SQL("INSERT INTO {}.relay_position (name) VALUES (%s)"
                            " ON CONFLICT (name) DO NOTHING").format(Identifier(SCHEMA)), (self.name,))

    def position(self) -> int:
        with psycopg.connect(self.conninfo, autocommit=True) as conn, conn.cursor() as cur:
            return read_relay_position(cur, self.name)[0]

    # --- one batch -----------------------------------------------------------------------

    def _read_batch(self, conn: psycopg.Connection[Any], position: int) -> list[RawEvent]:
        rows = conn.execute(
            SQL("SELECT notification_id, originator_id, originator_version, topic, state"
                " FROM public.{} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
                ).format(Identifier(self.events_table)),
            (position, self.settings.relay_batch_size), prepare=True).fetchall()
        return [RawEvent(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]

    def _producer_for(self, topics: set[str]) -> KafkaProducer:
        """The producer, made afresh after a failure; every topic in use or configured exists."""
        if self._producer is None:
            self._producer = self.producer_factory(self.settings)
            self._ensured.clear()
        topics = topics | set(self.settings.topics.values())
        if topics - self._ensured:
            ensure_topics(self.settings, topics - self._ensured)
            self._ensured |= topics
        return self._producer

    def _publish(self, events: list[RawEvent]) -> dict[str, int]:
        """Send a batch and wait for every acknowledgement; the acked next offsets by partition."""
        routed = [(self.settings.topic_for(raw.topic), raw) for raw in events]
        producer = self._producer_for({topic for topic, _ in routed})
        futures = [producer.send(topic, key=str(raw.originator_id).encode(),
                                 value=encode(to_envelope(raw, self.decode(raw), self.source)),
                                 headers=HEADERS)
                   for topic, raw in routed]
        producer.flush(timeout=self.settings.request_timeout_ms * 3 / 1000)
        acked: dict[str, int] = {}
        for future in futures:
            metadata = future.get(timeout=0)  # raises the delivery error, if any
            key = partition_key(metadata.topic, metadata.partition)
            acked[key] = max(acked.get(key, 0), metadata.offset + 1)
        return acked

    def _record(self, conn: psycopg.Connection[Any], position: int, offsets: dict[str, int]) -> None:
        """Move the position; only ever called after the broker acknowledged up to it."""
        with conn.transaction():
            conn.execute(SQL("UPDATE {}.relay_position SET position = %s, offsets = offsets || %s,"
                             " updated_at = now() WHERE name = %s").format(Identifier(SCHEMA)),
                         (position, Jsonb(offsets), self.name))
            conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, self.name))

    def publish_once(self, conn: psycopg.Connection[Any]) -> int:
        """Publish the next batch after the recorded position; the number of events sent."""
        with conn.transaction():
            position, _ = read_relay_position(conn.cursor(), self.name)
            events = self._read_batch(conn, position)
        if not events:
            self._producer_for(set())  # creates the configured topics, so feeders can start
            return 0
        acked = self._publish(events)
        self._record(conn, events[-1].position, acked)
        log.info("relay %s: published %d events up to position %d", self.name, len(events),
                 events[-1].position)
        return len(events)

    def reset_producer(self) -> None:
        """Drop the producer after a failure: a new one starts a new idempotence session, so
        nothing sent after a lost message can be written ahead of its re-send."""
        if self._producer is not None:
            producer, self._producer = self._producer, None
            producer.close(timeout=0)

    # --- the long-running loop -------------------------------------------------------------

    def run(self, stop: threading.Event, idle_timeout: float = 1.0, max_backoff: float = 5.0) -> None:
        """Publish until ``stop`` is set; stand by while another relay of this name runs."""
        self.ensure_created()
        with psycopg.connect(self.conninfo, autocommit=True) as lock_conn:
            while not lock_conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                        (f"vcio-relay:{self.name}",)).fetchone()[0]:  # type: ignore[index]
                if stop.wait(2.0):
                    return
            with psycopg.connect(self.conninfo, autocommit=True) as listen_conn, \
                    psycopg.connect(self.conninfo, autocommit=True) as conn:
                listen_conn.execute(SQL("LISTEN {}").format(Identifier(self.events_table)))
                backoff = 0.2
                try:
                    while not stop.is_set():
                        try:
                            published = self.publish_once(conn)
                            backoff = 0.2
                        except KafkaError as error:
                            log.warning("relay %s: broker unavailable (%r); retrying in %.1fs",
                                        self.name, error, backoff)
                            self.reset_producer()
                            stop.wait(backoff)
                            backoff = min(backoff * 2, max_backoff)
                            continue
                        if published < self.settings.relay_batch_size:
                            for _ in listen_conn.notifies(timeout=idle_timeout, stop_after=1):
                                pass
                finally:
                    self.reset_producer()
