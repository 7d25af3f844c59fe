"""The relay: publishes every event of the PostgreSQL log to Kafka, at least once, in log order.

Batches are read after the relay's position (ordered by notification id; the event store's
table lock makes commit order equal id order, so no event appears later below a position
already read), keyed by aggregate id, and sent without waiting: up to ``relay_in_flight``
batches are in flight at once, and the idempotent producer keeps them in order per partition.
Batches are settled oldest first: once the broker acknowledged every message of a batch
(``acks="all"``), its last position is written to ``vcio_streaming.relay_position`` with the
offsets reached per partition. A crash or any send failure re-publishes from the recorded
position: duplicates, never a gap.

The relay never exits on its own: a Kafka error drops the producer (guarded), logs, records the
error for ``vcio relay --status`` and ``/metrics``, and retries with backoff; anything else is
caught by the outer loop, logged and retried too. After a failure and every
``verify_interval_seconds`` it checks its topics (``streaming.topics``); when history was lost
on the broker it starts a new epoch and republishes the log from the start, history first.
One relay runs at a time per name (a session advisory lock); others stand by and say so.
"""

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import psycopg
from kafka import KafkaProducer
from kafka.errors import KafkaError
from psycopg.sql import SQL, Identifier

from projections.log_window import Decoder
from streaming.broker import build_producer
from streaming.config import StreamingSettings
from streaming.relay_send import BatchSender, InFlight, ReadAhead, Spliced, partition_key
from streaming.relay_store import (
    NOTIFY_CHANNEL,
    SCHEMA,
    create_relay_table,
    read_relay_position,
    read_relay_row,
    record_error,
    record_position,
    record_topic_ids,
    start_new_epoch,
)
from streaming.topics import check_topics, ensure_topics

__all__ = ["NOTIFY_CHANNEL", "SCHEMA", "Relay", "create_relay_table", "partition_key",
           "read_relay_position"]

log = logging.getLogger(__name__)


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
        self._topic_ids: dict[str, str] = {}
        self._checked_at: float | None = None
        self._unrecorded_error: str | None = None
        self.batches = BatchSender(events_table, decode, settings, self.source)

    def connect(self, autocommit: bool = True) -> psycopg.Connection[Any]:
        """A connection named for this relay (``application_name``), so an operator sees it
        in ``pg_stat_activity``."""
        return psycopg.connect(self.conninfo, autocommit=autocommit,
                               application_name=f"vcio-relay:{self.name}"[:63])

    def ensure_created(self) -> None:
        with self.connect(autocommit=False) as conn, conn.cursor() as cur:
            create_relay_table(cur)
            cur.execute(SQL("INSERT INTO {}.relay_position (name) VALUES (%s)"
                            " ON CONFLICT (name) DO NOTHING").format(Identifier(SCHEMA)), (self.name,))

    def position(self) -> int:
        with self.connect() as conn, conn.cursor() as cur:
            return read_relay_position(cur, self.name)[0]

    # --- topics ----------------------------------------------------------------------------

    def verify_topics(self, conn: psycopg.Connection[Any]) -> bool:
        """Create missing topics and check the stored offsets still hold; when history was
        lost, start a new epoch (republish from the start). True when a new epoch started."""
        row = read_relay_row(conn.cursor(), self.name)
        state = check_topics(self.settings, self.settings.topics.values(), row.topic_ids, row.offsets)
        self._checked_at = time.monotonic()
        if state.lost:
            self.reset_producer()  # a new idempotence session for the new partitions
            epoch = start_new_epoch(conn, self.name, state.topic_ids)
            log.warning("relay %s: history lost on the broker (%s); republishing the log from"
                        " the start into the topics as they now are (epoch %d)", self.name,
                        "; ".join(state.lost), epoch)
            self._topic_ids = state.topic_ids
            return True
        if any(row.topic_ids.get(name) != topic_id for name, topic_id in state.topic_ids.items()):
            record_topic_ids(conn, self.name, state.topic_ids)
        self._topic_ids = state.topic_ids
        return False

    def _verify_due(self) -> bool:
        return (self._producer is None or self._checked_at is None
                or time.monotonic() - self._checked_at >= self.settings.verify_interval_seconds)

    def _producer_for(self, conn: psycopg.Connection[Any], topics: set[str]) -> KafkaProducer:
        """The producer, made afresh after a failure; every topic it sends to (and every
        configured topic, so that feeders can start) exists."""
        topics = topics | set(self.settings.topics.values())
        if topics - set(self._topic_ids):
            created = ensure_topics(self.settings, topics - set(self._topic_ids))
            record_topic_ids(conn, self.name, created)
            self._topic_ids |= created
        if self._producer is None:
            self._producer = self.producer_factory(self.settings)
        return self._producer

    # --- batches ---------------------------------------------------------------------------

    def _read_batch(self, conn: psycopg.Connection[Any], position: int) -> list[Spliced]:
        return self.batches.splice(self.batches.read(conn, position))

    def _send(self, conn: psycopg.Connection[Any], rows: list[Spliced]) -> InFlight:
        """Hand a batch to the producer without waiting for the broker."""
        return self.batches.send(self._producer_for(conn, self.batches.topics_of(rows)), rows)

    def _settle(self, batch: InFlight) -> dict[str, int]:
        return self.batches.settle(batch)

    def publish_once(self, conn: psycopg.Connection[Any]) -> int:
        """Publish the next batch after the recorded position and wait for it; events sent."""
        with conn.transaction():
            position, _ = read_relay_position(conn.cursor(), self.name)
            events = self._read_batch(conn, position)
        if not events:
            self._producer_for(conn, set())
            return 0
        batch = self._send(conn, events)
        record_position(conn, self.name, batch.position, self._settle(batch))
        return len(events)

    def publish_available(self, conn: psycopg.Connection[Any]) -> int:
        """Publish everything after the recorded position, several batches in flight, and
        record each batch once acknowledged, oldest first; the number of events published."""
        with conn.transaction():
            cursor, _ = read_relay_position(conn.cursor(), self.name)
        in_flight: deque[InFlight] = deque()
        published, exhausted = 0, False
        with ReadAhead(self.batches, conn, self.connect) as reader:
            while True:
                while not exhausted and len(in_flight) < self.settings.relay_in_flight:
                    rows = reader.next(cursor)
                    exhausted = len(rows) < self.settings.relay_batch_size
                    if rows:
                        in_flight.append(self._send(conn, rows))
                        cursor = rows[-1][0]
                if not in_flight:
                    return published
                batch = in_flight.popleft()
                record_position(conn, self.name, batch.position, self._settle(batch))
                published += len(batch.futures)
                log.debug("relay %s: published up to position %d", self.name, batch.position)

    def reset_producer(self) -> None:
        """Drop the producer after a failure: a new one starts a new idempotence session, so
        nothing sent after a lost message can be written ahead of its re-send. Closing a
        producer with a batch in flight may raise; it is dropped all the same."""
        if self._producer is not None:
            producer, self._producer = self._producer, None
            try:
                producer.close(timeout=0)
            except Exception as error:  # noqa: BLE001 - the producer is discarded either way
                log.warning("relay %s: closing the failed producer raised %r", self.name, error)

    # --- the long-running loop -------------------------------------------------------------

    def run(self, stop: threading.Event, idle_timeout: float = 1.0, max_backoff: float = 5.0) -> None:
        """Publish until ``stop`` is set, whatever fails; stand by while another relay of this
        name runs. A lost database connection keeps the producer: what it has in flight is
        delivered, and re-sending from the recorded position puts duplicates after it."""
        backoff = 0.2
        while not stop.is_set():
            started = time.monotonic()
            try:
                self._run_holding_lock(stop, idle_timeout, max_backoff)
            except Exception as error:  # noqa: BLE001 - the relay outlives any failure: logged, retried
                if time.monotonic() - started > max_backoff:
                    backoff = 0.2  # it ran well for a while: this is a new failure
                self._unrecorded_error = repr(error)
                if isinstance(error, psycopg.OperationalError):
                    log.warning("relay %s: database connection lost (%r); reconnecting in %.1fs",
                                self.name, error, backoff)
                else:
                    log.exception("relay %s: %r; starting again in %.1fs", self.name, error, backoff)
                    self.reset_producer()
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
        self.reset_producer()

    def _run_holding_lock(self, stop: threading.Event, idle_timeout: float,
                          max_backoff: float) -> None:
        self.ensure_created()
        with self.connect() as lock_conn:
            waited = False
            while not lock_conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                        (f"vcio-relay:{self.name}",)).fetchone()[0]:  # type: ignore[index]
                if not waited:
                    log.info("relay %s: another relay of this name runs; waiting for its lock",
                             self.name)
                    waited = True
                if stop.wait(2.0):
                    return
            with self.connect() as listen_conn, self.connect() as conn:
                if self._unrecorded_error is not None:  # the database was away when it happened
                    record_error(conn, self.name, self._unrecorded_error)
                    self._unrecorded_error = None
                listen_conn.execute(SQL("LISTEN {}").format(Identifier(self.events_table)))
                self._follow(stop, conn, listen_conn, lock_conn, idle_timeout, max_backoff)

    def _follow(self, stop: threading.Event, conn: psycopg.Connection[Any],
                listen_conn: psycopg.Connection[Any], lock_conn: psycopg.Connection[Any],
                idle_timeout: float, max_backoff: float) -> None:
        backoff = 0.2
        while not stop.is_set():
            lock_conn.execute("SELECT 1")  # the lock lives as long as its connection: still there?
            try:
                if self._verify_due():
                    self.verify_topics(conn)
                self.publish_available(conn)
                backoff = 0.2
            except KafkaError as error:
                log.warning("relay %s: broker unavailable (%r); retrying in %.1fs",
                            self.name, error, backoff)
                self.reset_producer()
                record_error(conn, self.name, repr(error))
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            for _ in listen_conn.notifies(timeout=idle_timeout, stop_after=1):
                pass
