"""The inbound topic: commands from outside tools (PSA, RMM), validated like API calls.

A message is JSON ``{"id", "type", "tenant", "actor", "payload"}``; ``type`` picks a command in
``INBOUND_COMMANDS`` (one line per command) and ``payload`` is that command's body, checked by
its pydantic model exactly as the API checks it. ``id`` is the idempotency key: a message
delivered twice (or re-sent by the tool) answers with the first result and records nothing.

A message that cannot be carried out (not JSON, wrong shape, unknown type, invalid payload,
refused by the domain) goes to the dead-letter topic with the reason, and the consumer moves
on. A transient failure (store busy, database unreachable) is retried, never dead-lettered.
Each partition's next offset is stored in PostgreSQL once the message's outcome is final
(its events committed, or its dead letter acknowledged): at least once, with an exactly-once
effect through the idempotency key. A dead letter may be written twice after a crash.
"""

import base64
import json
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Annotated, Any

import psycopg
from eventsourcing.persistence import PersistenceError
from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError
from psycopg.sql import SQL, Identifier
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from aggregates.errors import DomainError
from commands.base import Command
from commands.bus import CommandBus, NotPermittedError
from commands.clients import ChangeClientProfile
from commands.ledger import StoreBusyError
from commands.meetings import HoldMeeting
from commands.results import Actor
from commands.reviews import RecordAnswer, SuggestAnswer
from commands.touches import LogTouch
from streaming.broker import build_consumer, build_producer, ensure_topics, partitions_of
from streaming.config import StreamingSettings
from streaming.relay import SCHEMA

log = logging.getLogger(__name__)

INBOUND_ROLE = "integration"

# The message types outside tools may send; the bus decides whether the integration role may
# send each one, exactly as it decides for a person over the API.
INBOUND_COMMANDS: Mapping[str, type[Command]] = MappingProxyType({
    "client.profile.change": ChangeClientProfile,
    "review.answer.record": RecordAnswer,
    "review.answer.suggest": SuggestAnswer,
    "touch.log": LogTouch,
    "meeting.hold": HoldMeeting,
})

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class InboundMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Short
    type: Short
    tenant: Short
    actor: Short
    payload: dict[str, Any]


class RejectedError(Exception):
    """The message can never be carried out; ``reason`` says why (it goes to the dead letter)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def errors_of(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(message)'}: {e['msg']}"
                     for e in error.errors())


def interpret(value: bytes | None) -> tuple[InboundMessage, Command]:
    """Parse and validate a message into its command, or raise ``RejectedError``."""
    try:
        message = InboundMessage.model_validate_json(value or b"")
    except ValidationError as error:
        raise RejectedError(f"invalid message: {errors_of(error)}") from None
    model = INBOUND_COMMANDS.get(message.type)
    if model is None:
        raise RejectedError(f"unknown type {message.type!r}; known: {', '.join(INBOUND_COMMANDS)}")
    try:
        return message, model.model_validate(message.payload)
    except ValidationError as error:
        raise RejectedError(f"invalid payload for {message.type}: {errors_of(error)}") from None


class InboundConsumer:
    """Carries out the inbound topic's commands, one partition offset row per partition."""

    def __init__(self, conninfo: str, bus: CommandBus, settings: StreamingSettings,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.conninfo = conninfo
        self.bus = bus
        self.settings = settings
        self.clock = clock
        self.name = settings.inbound_consumer
        self.consumer: KafkaConsumer | None = None
        self.producer: KafkaProducer | None = None

    def ensure_created(self) -> None:
        ensure_topics(self.settings, [self.settings.inbound_topic, self.settings.dead_letter_topic])
        with psycopg.connect(self.conninfo) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-streaming-schema'))")
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(SCHEMA)))
            conn.execute(SQL("CREATE TABLE IF NOT EXISTS {}.inbound_offsets (consumer text,"
                             " topic text, partition int, next_offset bigint NOT NULL,"
                             " PRIMARY KEY (consumer, topic, partition))").format(Identifier(SCHEMA)))

    def open(self, conn: psycopg.Connection[Any]) -> None:
        self.close()
        self.consumer = build_consumer(self.settings, max_poll_records=200)
        self.producer = build_producer(self.settings, linger_ms=0)
        tps = partitions_of(self.consumer, self.settings.inbound_topic)
        rows = conn.execute(SQL("SELECT partition, next_offset FROM {}.inbound_offsets"
                                " WHERE consumer = %s AND topic = %s").format(Identifier(SCHEMA)),
                            (self.name, self.settings.inbound_topic)).fetchall()
        stored = dict(rows)
        self.consumer.assign(tps)
        for tp in tps:
            self.consumer.seek(tp, stored.get(tp.partition, 0))

    def close(self) -> None:
        for client in (self.consumer, self.producer):
            if client is not None:
                client.close()
        self.consumer = self.producer = None

    def step(self, conn: psycopg.Connection[Any], stop: threading.Event,
             timeout: float = 0.5) -> int:
        """Handle what one poll brings; the number of messages handled."""
        if self.consumer is None:
            raise RuntimeError("open() the inbound consumer first")
        handled = 0
        for tp, records in self.consumer.poll(timeout_ms=int(timeout * 1000)).items():
            for record in records:
                self.handle(record, stop)
                conn.execute(SQL(
                    "INSERT INTO {}.inbound_offsets VALUES (%s, %s, %s, %s) ON CONFLICT"
                    " (consumer, topic, partition) DO UPDATE SET next_offset = excluded.next_offset"
                ).format(Identifier(SCHEMA)), (self.name, tp.topic, tp.partition, record.offset + 1))
                handled += 1
        return handled

    def handle(self, record: ConsumerRecord, stop: threading.Event) -> str:
        """Carry out one message: 'recorded', 'duplicate' or 'dead-letter'."""
        try:
            message, command = interpret(record.value)
        except RejectedError as rejected:
            return self.dead_letter(record, rejected.reason)
        actor = Actor(message.tenant, message.actor, INBOUND_ROLE)
        backoff = 0.1
        while True:
            try:
                result = self.bus.handle(command, actor, self.clock(), message.id)
                return "duplicate" if result.replayed else "recorded"
            except NotPermittedError as refused:
                return self.dead_letter(record, f"not permitted: {refused}")
            except (DomainError, ValueError, TypeError) as error:
                field = f"{error.field}: {error.reason}" if isinstance(error, DomainError) else error
                return self.dead_letter(record, f"refused ({type(error).__name__}): {field}")
            except (StoreBusyError, PersistenceError, psycopg.OperationalError) as error:
                log.warning("inbound %s: transient failure (%r); retrying", message.id, error)
                if stop.wait(backoff):
                    raise
                backoff = min(backoff * 2, 5.0)

    def dead_letter(self, record: ConsumerRecord, reason: str) -> str:
        if self.producer is None:
            raise RuntimeError("open() the inbound consumer first")
        try:
            original: Any = json.loads(record.value or b"")
        except ValueError:
            original = base64.b64encode(record.value or b"").decode("ascii")
        letter = {"reason": reason, "message": original, "topic": record.topic,
                  "partition": record.partition, "offset": record.offset,
                  "failed_at": self.clock().isoformat()}
        self.producer.send(self.settings.dead_letter_topic, key=record.key,
                           value=json.dumps(letter).encode()).get(
            timeout=self.settings.request_timeout_ms / 1000)
        log.warning("inbound: dead letter at %s:%s: %s", record.partition, record.offset, reason)
        return "dead-letter"

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; one consumer per name (an advisory lock)."""
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                   (f"vcio-inbound:{self.name}",)).fetchone()[0]:  # type: ignore[index]
                if stop.wait(2.0):
                    return
            backoff = 0.2
            while not stop.is_set():
                try:
                    if self.consumer is None:
                        self.ensure_created()
                        self.open(conn)
                    self.step(conn, stop)
                    backoff = 0.2
                except (KafkaError, LookupError) as error:  # broker away, or topics not made yet
                    log.warning("inbound: broker or topic unavailable (%r); retrying", error)
                    self.close()
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
            self.close()
