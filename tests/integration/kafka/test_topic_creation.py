"""Only the relay creates topics, with the declared partition count: no client's metadata
request makes one with the broker's default (tansu's is 4, which moves keys)."""

import threading
import uuid
from typing import Any

import pytest
from kafka import TopicPartition
from kafka.errors import KafkaTimeoutError

from streaming.broker import build_consumer, build_producer
from streaming.config import StreamingSettings
from streaming.relay_store import read_relay_row
from streaming.topics import admin_client, describe
from tests.integration.kafka.helpers import (
    Broker,
    log_events,
    log_head,
    make_relay,
    read_topics,
    review_history,
    settings_for,
)
from tests.integration.kafka.test_kafka_relay import (
    assert_every_event_once_or_more_in_order,
    topics,
    wait_for,
)

pytestmark = [pytest.mark.kafka, pytest.mark.integration]


def relay_epoch(services: Any, name: str) -> int:
    with services.database.connect() as conn, conn.cursor() as cur:
        return read_relay_row(cur, name).epoch


def existing(settings: StreamingSettings, names: list[str]) -> dict[str, dict[str, Any]]:
    admin = admin_client(settings)
    try:
        return describe(admin, names)
    finally:
        admin.close()


def test_a_producer_sending_to_a_missing_topic_fails_instead_of_creating_it(
        kafka_settings: StreamingSettings) -> None:
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    producer = build_producer(kafka_settings, max_block_ms=1500)

    try:
        with pytest.raises(KafkaTimeoutError):
            producer.send(missing, key=b"k", value=b"v")
    finally:
        producer.close(timeout=0)

    assert existing(kafka_settings, [missing]) == {}


def test_a_consumer_polling_a_missing_topic_does_not_create_it(
        kafka_settings: StreamingSettings) -> None:
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    consumer = build_consumer(kafka_settings)

    try:
        consumer.assign([TopicPartition(missing, 0)])
        for _ in range(5):
            consumer.poll(timeout_ms=200)
    finally:
        consumer.close()

    assert existing(kafka_settings, [missing]) == {}


def test_topics_deleted_under_a_running_relay_come_back_with_the_declared_partitions(
        kafka_services: Any, scenario: Any, own_broker: Broker) -> None:
    settings = settings_for(own_broker, partitions=6, request_timeout_ms=1500,
                            verify_interval_seconds=0.5)
    review_history(scenario)
    relay = make_relay(kafka_services, settings)
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop, 0.2, 1.0), daemon=True)
    runner.start()
    try:
        wait_for(lambda: relay.position() >= log_head(kafka_services), 20)
        admin = admin_client(settings)
        admin.delete_topics(topics(settings))
        admin.close()
        review_history(scenario)  # sent into topics that are gone
        head = log_head(kafka_services)
        # The relay may first publish these into topics the broker makes again on its own
        # (and reach the head) before its next check finds the history gone: wait for the
        # new epoch's republishing to reach the head.
        wait_for(lambda: relay_epoch(kafka_services, relay.name) >= 1
                 and relay.position() >= head
                 and set(existing(settings, topics(settings))) == set(topics(settings)), 40)
    finally:
        stop.set()
        runner.join(timeout=10)

    assert {info["partitions"] for info in existing(settings, topics(settings)).values()} == {6}
    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(settings, topics(settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)
