"""The relay publishes the whole log to Kafka at least once, in per-aggregate order, and
resumes from its position after a crash or a broker outage."""

import threading
import time
from collections import defaultdict
from typing import Any

import pytest

import streaming.relay

from streaming.config import StreamingSettings
from streaming.envelope import Delivered
from tests.integration.kafka.helpers import (
    Broker,
    log_events,
    log_head,
    make_relay,
    read_topics,
    relay_to_head,
    review_history,
    settings_for,
)

pytestmark = [pytest.mark.kafka, pytest.mark.integration]


def topics(settings: StreamingSettings) -> list[str]:
    return sorted(settings.topics.values())


def versions_by_aggregate(found: list[Delivered]) -> dict[str, list[int]]:
    """Each aggregate's versions in the order a consumer first met them."""
    seen: set[str] = set()
    order: dict[str, list[int]] = defaultdict(list)
    for delivered in found:
        if delivered.event_id not in seen:
            seen.add(delivered.event_id)
            order[str(delivered.raw.originator_id)].append(delivered.raw.originator_version)
    return order


def assert_every_event_once_or_more_in_order(found: list[Delivered], expected: list[str]) -> None:
    assert set(expected) <= {d.event_id for d in found}
    for aggregate, versions in versions_by_aggregate(found).items():
        assert versions == sorted(versions), f"aggregate {aggregate} out of order"


def test_every_event_is_published_in_per_aggregate_order(kafka_services: Any, scenario: Any,
                                                        kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    relay = make_relay(kafka_services, kafka_settings)

    relay_to_head(kafka_services, relay)

    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(kafka_settings, topics(kafka_settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)


def test_envelope_is_a_cloudevent_with_tenant_position_and_plain_data(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    import json

    from kafka import TopicPartition

    from streaming.broker import build_consumer

    review_history(scenario)
    relay = make_relay(kafka_services, kafka_settings)
    relay_to_head(kafka_services, relay)
    consumer = build_consumer(kafka_settings)
    tps = [TopicPartition(kafka_settings.topics["Client"], p) for p in range(4)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    envelopes: list[dict[str, Any]] = []
    headers: list[Any] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
            e["type"] == "vcio.client.AnswerRecorded.v2" and e["tenant"] == scenario.tenant
            for e in envelopes):
        for records in consumer.poll(timeout_ms=200).values():
            envelopes.extend(json.loads(r.value) for r in records)
            headers.extend(r.headers for r in records)
    consumer.close()

    answer = next(e for e in envelopes if e["type"] == "vcio.client.AnswerRecorded.v2"
                  and e["tenant"] == scenario.tenant)
    assert answer["specversion"] == "1.0"
    assert all(("content-type", b"application/cloudevents+json; charset=UTF-8") in h
               for h in headers), "structured mode is announced in a header"
    assert answer["id"] == f"{answer['subject']}:{answer['data']['originator_version']}"
    assert answer["source"].startswith("vcio-ledger/")
    assert answer["datacontenttype"] == "application/json"
    assert isinstance(answer["position"], int)
    assert answer["data"]["answer"] in ("yes", "no", "not_applicable")
    assert answer["data"]["observed_at"].endswith("+00:00")


def test_relay_killed_between_publish_and_position_write_resumes_without_gap(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    review_history(scenario)
    crashing = make_relay(kafka_services, kafka_settings)

    class Killed(Exception):
        pass

    calls = 0
    record = streaming.relay.record_position

    def record_then_die(conn: Any, name: str, position: int, offsets: dict[str, int]) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the second batch is acknowledged by the broker, but never recorded
            raise Killed
        record(conn, name, position, offsets)

    monkeypatch.setattr(streaming.relay, "record_position", record_then_die)
    with kafka_services.database.connect(autocommit=True) as conn:
        crashing.publish_once(conn)
        with pytest.raises(Killed):
            crashing.publish_once(conn)
    crashing.reset_producer()
    monkeypatch.undo()
    position_after_crash = crashing.position()

    relay_to_head(kafka_services, make_relay(kafka_services, kafka_settings))

    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(kafka_settings, topics(kafka_settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)
    republished = [d for d in found if d.position > position_after_crash]
    assert len(republished) > len({d.event_id for d in republished}), "the lost batch is re-sent"


def test_relay_keeps_going_when_the_broker_stops_and_comes_back(
        kafka_services: Any, scenario: Any, own_broker: Broker) -> None:
    settings = settings_for(own_broker, request_timeout_ms=1500)
    review_history(scenario)
    relay = make_relay(kafka_services, settings)
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop, 0.2, 1.0), daemon=True)
    runner.start()
    try:
        wait_for(lambda: relay.position() >= log_head(kafka_services), 20)
        published_before_outage = relay.position()
        own_broker.stop()
        review_history(scenario)  # written while the broker is down
        time.sleep(1.0)
        assert relay.position() == published_before_outage

        own_broker.start()  # in-memory storage: the broker comes back empty
        head = log_head(kafka_services)
        wait_for(lambda: relay.position() >= head, 30)
    finally:
        stop.set()
        runner.join(timeout=10)

    written_during_outage = [event_id for event_id, position in log_events(kafka_services)
                             if published_before_outage < position <= head]
    found = read_topics(settings, topics(settings), until=len(written_during_outage))
    assert_every_event_once_or_more_in_order(found, written_during_outage)


def wait_for(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)
