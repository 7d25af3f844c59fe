"""Runs a projection fed from Kafka instead of the PostgreSQL log, with the same result.

Partitions are assigned explicitly (``assign`` + ``seek``; no consumer group), so several
processes split a projection's partitions by configuration (``--partitions 0,1``). Rows,
per-partition offsets and the tracking position move in ONE PostgreSQL transaction
(``feed_store``): an exactly-once effect with no Kafka offset commits. The relay delivers at
least once; duplicates are dropped by event identity, aggregate id and version (see
``feed_store``), never by position in a partition.

When the relay republishes into new topics (its epoch moved: topics lost or recreated on the
broker) the feeder drops its offsets and reads the new topics from their start; what it had
applied is recognised by identity. A partition that ends below the stored offset while the
epoch has not moved means the relay has not noticed yet: the feeder waits for it and says so.

Order: an event is applied only once every earlier event of the log, in all the feeder's
partitions, is in hand. With its position W the relay records the offset each partition had
reached when the broker acknowledged everything up to W; a partition read up to that offset
holds every event up to W. Held events are merged by log position, so a feeder that reads
all partitions applies exactly the log's order and its rows equal the log-fed projection's,
even for projections that read the library while applying a client's event.
"""

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from psycopg import Connection, Cursor
from psycopg.sql import SQL, Identifier

from projections.base import Projection
from projections.catalog import CATALOG_SCHEMA, generation_schema, lock_key, use_schema
from projections.log_window import Decoder
from projections.runner import BatchProjector, RawEvent
from streaming.broker import build_consumer, partitions_of
from streaming.config import StreamingSettings
from streaming.envelope import Delivered
from streaming.feed_store import (
    advance_tracking,
    applied_versions,
    apply_isolating_poison,
    lock_applied,
    open_feed,
    open_offsets,
    save_applied_versions,
    save_progress,
)
from streaming.partitions import PartitionState, fill, frontier
from streaming.relay_store import NOTIFY_CHANNEL, create_relay_table, read_relay_row
from streaming.topics import short_partitions

log = logging.getLogger(__name__)

# Projections whose rows about one aggregate depend only on that aggregate's events, so that
# feeders may split them by partition. The others read other aggregates' rows while applying
# (score_history scores a completed review against the library as it then stood; the audit
# timeline names the standard an answer is about): split, one feeder could see the library
# ahead of or behind the log. Run those from one feeder with every partition, or from the log.
SPLITTABLE = frozenset({"client_alignment", "standards_library"})


class SplitNotSafeError(ValueError):
    """The projection's result would depend on how its partitions are split."""


class GenerationSwappedError(Exception):
    """The projection was rebuilt into a new generation; the feeder must open it afresh."""


class TopicsRepublishedError(Exception):
    """The relay started a new epoch (new topics); the feeder must open them afresh."""


class KafkaFeeder:
    """Feeds one projection's live generation from the relay's topics."""

    def __init__(self, conninfo: str, projection: Projection, decode_event: Decoder,
                 settings: StreamingSettings, partitions: Sequence[int] | None = None,
                 name: str | None = None) -> None:
        if partitions is not None and projection.name not in SPLITTABLE:
            raise SplitNotSafeError(
                f"projection {projection.name!r} reads other aggregates' state while applying;"
                f" feed it from one process with all partitions (splittable: {sorted(SPLITTABLE)})")
        self.conninfo = conninfo
        self.projection = projection
        self.decode_event = decode_event
        self.settings = settings
        self.partitions = partitions
        self.name = name or projection.name
        self.topics = sorted({settings.topic_for(topic) for topic in projection.topics})
        self.wanted = frozenset(projection.topics)
        self.states: dict[TopicPartition, PartitionState] = {}
        self.generation = 0
        self.epoch = 0
        self.floor = 0
        self.waiting_for_relay = False
        self._consumer: KafkaConsumer | None = None

    @property
    def consumer(self) -> KafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("open() the feeder first")
        return self._consumer

    # --- set-up ----------------------------------------------------------------------------

    def ensure_created(self) -> None:
        """The catalog entry and first generation, made exactly as the log runner makes them."""
        projector = BatchProjector(self.conninfo, self.projection, self.decode_event, "-")
        projector.name = self.name
        projector.ensure_created()
        with psycopg.connect(self.conninfo) as conn, conn.cursor() as cur:
            create_relay_table(cur)

    def open(self, conn: Connection[Any]) -> None:
        """Assign this feeder's partitions and seek each to its stored offset."""
        self.close()
        # "none": reading past a partition's end is an error, never a silent jump elsewhere
        consumer = build_consumer(self.settings, max_poll_records=self.settings.feed_batch_size,
                                  auto_offset_reset="none")
        try:
            self._assign(conn, consumer)
        except BaseException:
            consumer.close()
            raise
        self._consumer = consumer

    def _assign(self, conn: Connection[Any], consumer: KafkaConsumer) -> None:
        every = [tp for topic in self.topics for tp in partitions_of(consumer, topic)]
        mine = [tp for topic in self.topics for tp in partitions_of(consumer, topic, self.partitions)]
        with conn.transaction(), conn.cursor() as cur:
            self.generation = self._use_live_generation(cur)
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"vcio-kafka-feed:{self.name}",))
            self.epoch = read_relay_row(cur, self.settings.relay_name).epoch
            self.floor = open_feed(cur, self.epoch, self.name)
            stored = open_offsets(cur, every)
        short = short_partitions(consumer, {tp: stored[tp].next_offset for tp in mine})
        behind = [f"{tp.topic}:{tp.partition} ends at {end}, below the stored {stored[tp].next_offset}"
                  for tp, end in short.items()]
        if behind:
            raise LookupError(f"history lost on the broker ({'; '.join(behind)}); waiting for"
                              " the relay to republish it")
        consumer.assign(mine)
        for tp in mine:
            consumer.seek(tp, stored[tp].next_offset)
        self.states = {tp: stored[tp] for tp in mine}

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None

    def _use_live_generation(self, cur: Cursor[Any]) -> int:
        cur.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s FOR SHARE").format(
            Identifier(CATALOG_SCHEMA)), (self.name,))
        generation = int(cur.fetchone()[0])  # type: ignore[index]
        use_schema(cur, generation_schema(self.name, generation))
        return generation

    # --- one round -------------------------------------------------------------------------

    def step(self, conn: Connection[Any], poll_timeout: float = 0.5) -> int:
        """Read what the relay has confirmed and apply it in log order; events applied."""
        with conn.transaction(), conn.cursor() as cur:
            relay = read_relay_row(cur, self.settings.relay_name)
        if relay.epoch != self.epoch:
            raise TopicsRepublishedError(self.name)
        confirmed, acked = relay.position, relay.offsets
        required = {tp: acked.get(state.key, 0) for tp, state in self.states.items()}
        fill(self.consumer, self.states, required, poll_timeout, self.name)
        complete = {tp: self.consumer.position(tp) >= required[tp] for tp in self.states}
        self.waiting_for_relay = all(complete.values())
        return self._apply_through(conn, frontier(self.states, complete, confirmed))

    def _apply_through(self, conn: Connection[Any], through: int) -> int:
        ready = sorted(((d, s) for s in self.states.values() for _, d in s.held
                        if d.position <= through), key=lambda pair: pair[0].position)
        if len(ready) > self.settings.feed_batch_size:
            through = ready[self.settings.feed_batch_size][0].position - 1
            ready = [(d, s) for d, s in ready if d.position <= through]
        if not ready and all(s.watermark >= through for s in self.states.values()):
            return 0
        while True:
            try:
                with conn.transaction(), conn.cursor() as cur:
                    applied = self._apply_batch(conn, cur, ready, through)
                break
            except (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected):
                continue
        for state in self.states.values():
            state.held = [(o, d) for o, d in state.held if d.position > through]
            state.watermark = max(state.watermark, through)
        log.info("kafka feeder %s: applied %d events, through position %d", self.name, applied,
                 through)
        return applied

    def _apply_batch(self, conn: Connection[Any], cur: Cursor[Any],
                     ready: list[tuple[Delivered, PartitionState]], through: int) -> int:
        if self._use_live_generation(cur) != self.generation:
            raise GenerationSwappedError(self.name)
        # a message of the new topics can only be held once the new epoch is committed
        if read_relay_row(cur, self.settings.relay_name).epoch != self.epoch:
            raise TopicsRepublishedError(self.name)
        applied = lock_applied(cur, self.states)
        versions = applied_versions(cur, (d.raw.originator_id for d, _ in ready))
        todo: list[RawEvent] = []
        for delivered, state in ready:
            raw = delivered.raw
            applied[state.tp] = max(applied[state.tp], raw.position)
            if raw.position <= self.floor or raw.originator_version <= versions.get(
                    raw.originator_id, 0):
                continue  # applied already: from the log before Kafka fed it, or delivered twice
            versions[raw.originator_id] = raw.originator_version
            if raw.topic in self.wanted:
                todo.append(raw)
        apply_isolating_poison(conn, cur, self.name, self.generation, self._apply_one, todo)
        save_applied_versions(cur, versions)
        for tp, state in self.states.items():
            later = [offset for offset, d in state.held if d.position > through]
            save_progress(cur, tp, min(later, default=self.consumer.position(tp)), applied[tp],
                          through)
        advance_tracking(cur)
        return len(todo)

    def _apply_one(self, cur: Cursor[Any], raw: RawEvent) -> None:
        self.projection.apply(cur, self.decode_event(raw), raw.position)

    # --- loops -----------------------------------------------------------------------------

    def catch_up(self, position: int, timeout: float = 30.0) -> None:
        """Feed (in this thread) until the tracking position reaches ``position``."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.conninfo) as conn:
            self.open(conn)
            try:
                while self.tracking(conn) < position:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{self.name} did not reach {position}")
                    try:
                        self.step(conn, poll_timeout=0.2)
                    except TopicsRepublishedError:
                        self.open(conn)
            finally:
                self.close()

    def tracking(self, conn: Connection[Any]) -> int:
        with conn.transaction(), conn.cursor() as cur:
            self._use_live_generation(cur)
            return int(cur.execute("SELECT position FROM tracking").fetchone()[0])  # type: ignore[index]

    def run(self, stop: threading.Event, idle_timeout: float = 1.0) -> None:
        """Feed until ``stop`` is set. Feeders share a lock that the log runner of the same
        projection takes exclusively, so a projection is never fed from both at once."""
        self.ensure_created()
        with psycopg.connect(self.conninfo, autocommit=True) as lock_conn:
            waited = False
            while not lock_conn.execute("SELECT pg_try_advisory_lock_shared(hashtext(%s))",
                                        (lock_key(self.name),)).fetchone()[0]:  # type: ignore[index]
                if not waited:
                    log.info("kafka feeder %s: the log runner of this projection holds its lock"
                             " (start the other process with --projections without it);"
                             " waiting", self.name)
                    waited = True
                if stop.wait(2.0):
                    return
            with psycopg.connect(self.conninfo, autocommit=True) as listen_conn, \
                    psycopg.connect(self.conninfo) as conn:
                listen_conn.execute(SQL("LISTEN {}").format(Identifier(NOTIFY_CHANNEL)))
                try:
                    while self._open_when_ready(conn, stop):
                        try:
                            while not stop.is_set():
                                if not self.step(conn) and self.waiting_for_relay:
                                    for _ in listen_conn.notifies(timeout=idle_timeout,
                                                                  stop_after=1):
                                        pass
                        except (GenerationSwappedError, TopicsRepublishedError):
                            continue  # reopen on the new generation or the new topics
                        except KafkaError as error:  # the broker is away: reopen and re-read
                            log.warning("kafka feeder %s: %r; reopening", self.name, error)
                            stop.wait(1.0)
                finally:
                    self.close()

    def _open_when_ready(self, conn: Connection[Any], stop: threading.Event) -> bool:
        """Open once the broker and the topics are there (the relay creates the topics)."""
        while not stop.is_set():
            try:
                self.open(conn)
                return True
            except (LookupError, KafkaError) as error:
                log.warning("kafka feeder %s: waiting for the broker and topics (%s)", self.name, error)
                stop.wait(2.0)
        return False
