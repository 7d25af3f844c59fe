"""The inbound topic: commands from outside tools (PSA, RMM), validated like API calls.

A message is JSON ``{"id", "type", "tenant", "actor", "payload"}``; ``type`` picks a command in
``INBOUND_COMMANDS`` (one line per command) and ``payload`` is that command's body, checked by
its pydantic model exactly as the API checks it. ``id`` is the idempotency key: a message
delivered twice (or re-sent by the tool) answers with the first result and records nothing.

A message that cannot be carried out (not JSON, wrong shape, unknown type, invalid payload,
refused by the domain, or refused by the database: a ``DataError`` or ``IntegrityError`` can
never succeed on a retry) goes to the dead-letter topic with the reason, and the consumer
moves on. A transient failure (store busy, database unreachable) is retried with backoff up to
``inbound_max_attempts`` times, then dead-lettered too: nothing wedges a partition. Text that
PostgreSQL cannot store (a NUL character) is refused at validation, before anything is recorded.
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
from eventsourcing import persistence as eventsourcing_errors
from eventsourcing.persistence import PersistenceError
from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError
from psycopg.sql import SQL, Identifier
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

from aggregates.errors import DomainError
from commands.base import Command
from commands.bus import CommandBus, NotPermittedError
from commands.clients import ChangeClientProfile
from commands.ledger import StoreBusyError
from commands.meetings import HoldMeeting
from commands.messages import reason
from commands.results import Actor
from commands.reviews import RecordAnswer, SuggestAnswer
from commands.touches import LogTouch
from streaming.broker import build_consumer, build_producer, partitions_of
from streaming.config import StreamingSettings
from streaming.relay_store import SCHEMA, SCHEMA_LOCK
from streaming.topics import ensure_topics

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

# Like the API's Idempotency-Key and names: 1-200 characters, and no control characters
# (PostgreSQL text cannot hold a NUL; the others have no place in an id).
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                         pattern=r"^[^\x00-\x1f\x7f]+$")]
MAX_MESSAGE_BYTES = 256 * 1024
MAX_DEPTH = 8


def nul_free(value: Any, where: str = "payload", depth: int = 0) -> None:
    """Refuse a NUL anywhere in the payload's keys and strings, and absurd nesting."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{where} is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{where} contains a NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            nul_free(key, f"{where} key", depth + 1)
            nul_free(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            nul_free(item, f"{where}[{index}]", depth + 1)


class InboundMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Short
    type: Short
    tenant: Short
    actor: Short
    payload: dict[str, Any]

    @field_validator("payload")
    @classmethod
    def check_payload_text(cls, payload: dict[str, Any]) -> dict[str, Any]:
        nul_free(payload)
        return payload


# Errors a retry cannot cure: bad data, a broken constraint, a programming error in SQL.
# psycopg raises them directly; eventsourcing wraps them in its own classes. (eventsourcing's
# IntegrityError is its record conflict, a concurrent write: that one is worth a retry.)
NON_RETRYABLE: tuple[type[Exception], ...] = (
    psycopg.DataError, psycopg.IntegrityError, psycopg.ProgrammingError,
    eventsourcing_errors.DataError, eventsourcing_errors.ProgrammingError)
TRANSIENT: tuple[type[Exception], ...] = (
    StoreBusyError, PersistenceError, psycopg.OperationalError, psycopg.InterfaceError)


def first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [""])[0][:500]


class RejectedError(Exception):
    """The message can never be carried out; ``reason`` says why (it goes to the dead letter)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def errors_of(error: ValidationError) -> str:
    """Each field and its reason, in the API's words (``commands.messages``)."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(message)'}: {reason(e)}"
                     for e in error.errors())


def interpret(value: bytes | None) -> tuple[InboundMessage, Command]:
    """Parse and validate a message into its command, or raise ``RejectedError``."""
    if len(value or b"") > MAX_MESSAGE_BYTES:
        raise RejectedError(f"invalid message: larger than {MAX_MESSAGE_BYTES} bytes")
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
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (SCHEMA_LOCK,))
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
        for attempt in range(1, self.settings.inbound_max_attempts + 1):
            try:
                result = self.bus.handle(command, actor, self.clock(), message.id)
                return "duplicate" if result.replayed else "recorded"
            except NotPermittedError as refused:
                return self.dead_letter(record, f"not permitted: {refused}")
            except (DomainError, ValueError, TypeError) as error:
                field = f"{error.field}: {error.reason}" if isinstance(error, DomainError) else error
                return self.dead_letter(record, f"refused ({type(error).__name__}): {field}")
            except NON_RETRYABLE as error:
                return self.dead_letter(record, f"refused by the database ({type(error).__name__}):"
                                                f" {first_line(error)}")
            except TRANSIENT as error:
                if attempt == self.settings.inbound_max_attempts:
                    return self.dead_letter(record, f"gave up after {attempt} attempts"
                                                    f" ({type(error).__name__}): {first_line(error)}")
                log.warning("inbound %s: transient failure %d of %d (%r); retrying in %.1fs",
                            message.id, attempt, self.settings.inbound_max_attempts, error, backoff)
                if stop.wait(backoff):
                    raise
                backoff = min(backoff * 2, 5.0)
            except Exception as error:  # noqa: BLE001 - dead-lettered with its reason, never lost
                log.exception("inbound %s: unexpected failure", message.id)
                return self.dead_letter(record, f"failed ({type(error).__name__}): {first_line(error)}")
        raise AssertionError("unreachable: the last attempt returns")

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
        """Consume until ``stop`` is set, whatever fails; one consumer per name (an advisory
        lock)."""
        backoff = 0.2
        while not stop.is_set():
            try:
                self._run_holding_lock(stop)
            except Exception as error:  # noqa: BLE001 - the consumer outlives any failure: logged, retried
                log.exception("inbound: %r; starting again in %.1fs", error, backoff)
                self.close()
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _run_holding_lock(self, stop: threading.Event) -> None:
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
