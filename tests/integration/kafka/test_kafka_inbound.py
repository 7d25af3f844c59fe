"""Outside tools' commands on the inbound topic: a bad message is dead-lettered with its
reason and never stops the consumer; a message delivered twice records nothing new."""

import json
import threading
import time
import uuid
from typing import Any

import psycopg
import pytest
from kafka import KafkaProducer, TopicPartition

from streaming.broker import build_consumer, build_producer
from streaming.config import StreamingSettings
from streaming.inbound import InboundConsumer

pytestmark = [pytest.mark.kafka, pytest.mark.integration]


def send(producer: KafkaProducer, settings: StreamingSettings, value: bytes) -> None:
    producer.send(settings.inbound_topic, key=b"tool", value=value).get(timeout=10)


def profile_change(tenant: str, client_id: Any, name: str, message_id: str | None = None) -> bytes:
    return json.dumps({
        "id": message_id or uuid.uuid4().hex, "type": "client.profile.change", "tenant": tenant,
        "actor": "psa:halo", "payload": {"client_id": str(client_id), "changes": {"name": name}},
    }).encode()


def consume_until(inbound: InboundConsumer, services: Any, count: int) -> None:
    """Run the consumer (in this thread) until it has handled ``count`` messages."""
    stop = threading.Event()
    handled = 0
    deadline = time.monotonic() + 15
    with services.database.connect(autocommit=True) as conn:
        inbound.open(conn)
        try:
            while handled < count:
                assert time.monotonic() < deadline, f"handled {handled} of {count}"
                handled += inbound.step(conn, stop, timeout=0.2)
        finally:
            inbound.close()


def dead_letters(settings: StreamingSettings, count: int,
                 timeout: float = 10.0) -> list[dict[str, Any]]:
    consumer = build_consumer(settings)
    tps = [TopicPartition(settings.dead_letter_topic, p) for p in range(settings.partitions)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    letters: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(letters) < count and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=200).values():
            letters.extend(json.loads(r.value) for r in records)
    consumer.close()
    return letters


@pytest.fixture
def inbound(kafka_services: Any, kafka_settings: StreamingSettings) -> InboundConsumer:
    consumer = InboundConsumer(kafka_services.database.conninfo, kafka_services.bus,
                               kafka_settings.model_copy(update={"partitions": 1}))
    consumer.ensure_created()
    return consumer


def test_bad_messages_go_to_the_dead_letter_topic_and_the_next_good_one_is_carried_out(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    settings = inbound.settings
    client_id = scenario.client("Before Ltd")
    producer = build_producer(settings)
    send(producer, settings, b"this is not json")
    send(producer, settings, json.dumps({"id": "m-2", "type": "answer.suggested",
                                         "tenant": scenario.tenant, "actor": "rmm:ninja",
                                         "payload": {}}).encode())
    send(producer, settings, json.dumps({"id": "m-3", "type": "client.profile.change",
                                         "tenant": scenario.tenant, "actor": "psa:halo",
                                         "payload": {"client_id": "not-a-uuid", "changes": {}}}
                                        ).encode())
    send(producer, settings, profile_change(scenario.tenant, client_id, "After Ltd"))
    producer.close()

    stop = threading.Event()
    running = threading.Thread(target=inbound.run, args=(stop,), daemon=True)
    running.start()  # the consumer's own loop, as ``vcio inbound`` runs it
    try:
        deadline = time.monotonic() + 15
        # through the ledger (the aggregate's lock and a copy), not repository.get: the
        # consumer decides on the cached client itself, and a fast-forward racing it fails
        while kafka_services.ledger.load_client(scenario.tam, client_id).name != "After Ltd":
            assert time.monotonic() < deadline, "the good message was not carried out"
            time.sleep(0.05)
    finally:
        stop.set()
        running.join(timeout=10)

    letters = dead_letters(settings, 3)
    reasons = [letter["reason"] for letter in letters]
    assert len(letters) == 3
    assert reasons[0].startswith("invalid message")
    assert "unknown type 'answer.suggested'" in reasons[1]
    assert "client_id" in reasons[2] and "changes" in reasons[2]
    assert letters[0]["message"] == "dGhpcyBpcyBub3QganNvbg=="  # undecodable bytes, base64
    assert not running.is_alive()


def test_a_command_the_domain_refuses_is_dead_lettered_with_the_domain_reason(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    settings = inbound.settings
    producer = build_producer(settings)
    send(producer, settings, profile_change(scenario.tenant, uuid.uuid4(), "Nobody Ltd"))
    producer.close()

    consume_until(inbound, kafka_services, 1)

    [letter] = dead_letters(settings, 1)
    assert letter["reason"].startswith("refused (NotFoundError): client_id")


def test_a_duplicate_message_records_nothing_new(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    settings = inbound.settings
    client_id = scenario.client("Before Ltd")
    message = profile_change(scenario.tenant, client_id, "After Ltd", message_id="psa-ticket-42")
    producer = build_producer(settings)
    send(producer, settings, message)
    send(producer, settings, message)
    producer.close()

    consume_until(inbound, kafka_services, 2)

    client = kafka_services.ledger.repository.get(client_id)
    assert client.name == "After Ltd"
    assert client.version == 2  # onboarded, then one profile change: the copy recorded nothing
    assert dead_letters(settings, 1, timeout=1.0) == []


def test_an_answer_recorded_in_an_outside_tool_lands_in_the_open_review(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    from events.vocabulary import Answer

    settings = inbound.settings
    standard_id = scenario.standard(category="backups")
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    producer = build_producer(settings)
    send(producer, settings, json.dumps({
        "id": "rmm-check-7", "type": "review.answer.record", "tenant": scenario.tenant,
        "actor": "rmm:ninja", "payload": {"client_id": str(client_id), "review_id": str(review_id),
                                          "standard_id": str(standard_id), "answer": "yes"},
    }).encode())
    producer.close()

    consume_until(inbound, kafka_services, 1)

    review = kafka_services.ledger.repository.get(client_id).reviews[review_id]
    assert review.answers[standard_id].answer is Answer.YES


def test_an_answer_suggested_by_an_outside_tool_is_shown_and_never_recorded_as_the_answer(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    from events.vocabulary import Answer

    settings = inbound.settings
    standard_id = scenario.standard(category="backups")
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, Answer.NO)
    producer = build_producer(settings)
    send(producer, settings, json.dumps({
        "id": "rmm-check-8", "type": "review.answer.suggest", "tenant": scenario.tenant,
        "actor": "rmm:ninjaone", "payload": {
            "client_id": str(client_id), "standard_id": str(standard_id), "answer": "yes",
            "source": "rmm:ninjaone", "evidence": "Backup job succeeded last night",
            "observed_at": "2025-01-05T08:30:00+00:00"},
    }).encode())
    producer.close()

    consume_until(inbound, kafka_services, 1)
    kafka_services.projectors["client_alignment"].catch_up()

    view = kafka_services.alignment.alignment(scenario.tenant, client_id)
    [item] = [i for i in view.items if i.standard_id == standard_id]
    assert item.suggested_answer == "yes"
    assert item.suggestion_source == "rmm:ninjaone"
    assert item.suggested_at is not None and item.suggested_at.isoformat().startswith("2025-01-05")
    assert item.answer == "no" and item.status == "misaligned"
    review = kafka_services.ledger.repository.get(client_id).reviews[review_id]
    assert review.answers[standard_id].answer is Answer.NO
    assert dead_letters(settings, 1, timeout=1.0) == []


def test_messages_with_a_nul_in_the_id_or_the_payload_are_dead_lettered_and_later_ones_applied(
        kafka_services: Any, scenario: Any, inbound: InboundConsumer) -> None:
    settings = inbound.settings
    client_id = scenario.client("Before Ltd")
    producer = build_producer(settings)
    send(producer, settings, profile_change(scenario.tenant, client_id, "Nul Id Ltd",
                                            message_id="psa-\x00-1"))
    send(producer, settings, profile_change(scenario.tenant, client_id, "Nul\x00Name Ltd"))
    send(producer, settings, profile_change(scenario.tenant, client_id, "After Ltd"))
    producer.close()

    consume_until(inbound, kafka_services, 3)

    letters = dead_letters(settings, 2)
    assert [letter["reason"].split(":")[0] for letter in letters] == ["invalid message"] * 2
    assert "id" in letters[0]["reason"] and "NUL" in letters[1]["reason"]
    assert kafka_services.ledger.repository.get(client_id).name == "After Ltd"
    assert kafka_services.ledger.repository.get(client_id).version == 2


class FailingBus:
    """A bus whose every command fails with the given error."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def handle(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        raise self.error


@pytest.mark.parametrize(("error", "attempts", "reason"), [
    (psycopg.errors.UntranslatableCharacter("unsupported Unicode escape sequence"), 1,
     "refused by the database (UntranslatableCharacter)"),
    (psycopg.OperationalError("server closed the connection"), 3, "gave up after 3 attempts"),
])
def test_a_database_failure_is_dead_lettered_at_once_or_after_capped_retries(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings,
        error: Exception, attempts: int, reason: str) -> None:
    settings = kafka_settings.model_copy(update={"partitions": 1, "inbound_max_attempts": 3})
    bus = FailingBus(error)
    inbound = InboundConsumer(kafka_services.database.conninfo, bus, settings)  # type: ignore[arg-type]
    inbound.ensure_created()
    producer = build_producer(settings)
    send(producer, settings, profile_change(scenario.tenant, uuid.uuid4(), "Any Ltd"))
    producer.close()

    consume_until(inbound, kafka_services, 1)

    [letter] = dead_letters(settings, 1)
    assert letter["reason"].startswith(reason)
    assert bus.calls == attempts
