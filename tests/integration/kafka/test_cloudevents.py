"""What the relay sends is read by the official CloudEvents Python SDK (Kafka binding,
structured mode), with every extension attribute of a CloudEvents type."""

import time
from typing import Any

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.kafka import KafkaMessage, from_structured
from kafka import TopicPartition

from streaming.broker import build_consumer
from streaming.config import StreamingSettings
from tests.integration.kafka.helpers import log_events, make_relay, relay_to_head, review_history

pytestmark = [pytest.mark.kafka, pytest.mark.integration]

# A CloudEvents Integer is a signed 32-bit number; the other types an extension can hold.
INTEGER = range(-(2**31), 2**31)
REQUIRED_AND_OPTIONAL = {"specversion", "id", "source", "type", "subject", "time",
                         "datacontenttype", "dataschema", "data", "partitionkey"}


def relayed_messages(settings: StreamingSettings, count: int) -> list[Any]:
    consumer = build_consumer(settings)
    tps = [TopicPartition(topic, p) for topic in settings.topics.values()
           for p in range(settings.partitions)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    records: list[Any] = []
    deadline = time.monotonic() + 15
    while len(records) < count and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(batch)
    consumer.close()
    return records


def test_every_relayed_message_parses_with_the_official_sdk_and_keeps_extensions_typed(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    relay = make_relay(kafka_services, kafka_settings)
    relay_to_head(kafka_services, relay)
    positions = dict(log_events(kafka_services))

    records = relayed_messages(kafka_settings, len(positions))
    events = [from_structured(KafkaMessage(dict(r.headers), r.key, r.value)) for r in records]
    strict = [JSONFormat().read(None, r.value) for r in records]

    assert len(events) >= len(positions)
    for event, checked in zip(events, strict, strict=True):
        attributes = event.get_attributes()
        assert attributes["position"] == str(positions[attributes["id"]])
        assert checked.get_extension("position") == attributes["position"]
        for name, value in attributes.items():
            if name not in REQUIRED_AND_OPTIONAL:
                assert isinstance(value, str | bool) or value in INTEGER, (name, value)
