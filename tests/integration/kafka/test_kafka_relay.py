"""The relay publishes the whole log to Kafka at least once, in per-aggregate order, and
resumes from its position after a crash or a broker outage."""

import threading
import time
import uuid
from collections import defaultdict
from typing import Any

import pytest
from kafka.errors import KafkaTimeoutError
from psycopg import sql

import streaming.relay
from projections.client_alignment import ClientAlignmentProjection
from projections.runner import RawEvent
from streaming.broker import build_producer
from streaming.config import StreamingSettings
from streaming.envelope import Delivered, encode, fast_envelope, to_envelope
from streaming.metrics import RelayCollector, relay_statuses_of
from streaming.relay import Relay
from streaming.relay_store import read_relay_row, record_error
from tests.integration.kafka.helpers import (
    ALIGNMENT_TABLES,
    Broker,
    feeder,
    log_events,
    log_fed_copy,
    log_head,
    make_relay,
    read_topics,
    relay_to_head,
    review_history,
    settings_for,
    table_rows,
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
    assert answer["position"].isdigit(), "a string: the log position outgrows a CloudEvents Integer"
    assert answer["data"]["answer"] in ("yes", "no", "not_applicable")
    assert answer["data"]["observed_at"].endswith("+00:00")


def test_relay_killed_between_publish_and_position_write_resumes_without_gap(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    review_history(scenario)
    # batches of 5: this test's own events are several batches, whatever else the log holds
    crashing = make_relay(kafka_services, kafka_settings.model_copy(update={"relay_batch_size": 5}))

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


def test_relay_restarted_on_an_empty_broker_republishes_the_whole_log_and_feeds_equal_the_log(
        kafka_services: Any, scenario: Any, own_broker: Broker) -> None:
    settings = settings_for(own_broker, request_timeout_ms=1500, verify_interval_seconds=0.5)
    review_history(scenario)
    relay = make_relay(kafka_services, settings)
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop, 0.2, 1.0), daemon=True)
    runner.start()
    try:
        wait_for(lambda: relay.position() >= log_head(kafka_services), 20)
        own_broker.stop()
        review_history(scenario)  # written while the broker is down
        own_broker.start()  # in-memory storage: the broker comes back empty
        review_history(scenario)  # written while the relay finds out
        head = log_head(kafka_services)
        wait_for(lambda: relay.position() >= head and relay_epoch(kafka_services, settings) > 0, 40)
    finally:
        stop.set()
        runner.join(timeout=10)

    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(settings, topics(settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)
    name = f"align_ka_{uuid.uuid4().hex[:6]}"
    feeder(kafka_services, ClientAlignmentProjection(), settings, name).catch_up(head)
    from_log = log_fed_copy(kafka_services, ClientAlignmentProjection())
    for table in ALIGNMENT_TABLES:
        assert table_rows(kafka_services, name, table) == table_rows(kafka_services, from_log, table)


def test_relay_survives_a_send_failure_with_a_batch_in_flight(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    producers: list[Any] = []

    def first_one_fails(settings: StreamingSettings) -> Any:
        real = build_producer(settings)
        producers.append(real)
        return FailingProducer(real) if len(producers) == 1 else real

    relay = Relay(kafka_services.database.conninfo, kafka_services.ledger.recorder.events_table_name,
                  kafka_services.decode, kafka_settings, producer_factory=first_one_fails)
    relay.ensure_created()
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop, 0.2, 0.5), daemon=True)
    runner.start()
    try:
        head = log_head(kafka_services)
        wait_for(lambda: relay.position() >= head, 20)
        survived = runner.is_alive()
    finally:
        stop.set()
        runner.join(timeout=10)

    assert survived
    assert len(producers) == 2, "the failed producer was dropped and a new one made"
    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(kafka_settings, topics(kafka_settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)


class FailingProducer:
    """Sends the first batch for real, then fails the next one in flight, and its close
    raises as kafka-python's does when a batch is still in flight."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.sent = 0

    def send(self, *args: Any, **kwargs: Any) -> Any:
        self.sent += 1
        future = self.real.send(*args, **kwargs)
        return future if self.sent <= 3 else FailedFuture()

    def partitions_for(self, topic: str) -> Any:
        return self.real.partitions_for(topic)

    def close(self, timeout: float | None = None) -> None:
        self.real.close(timeout=timeout)
        raise KafkaTimeoutError("Failed to flush buffered records within 0 secs")


class FailedFuture:
    def get(self, timeout: float | None = None) -> Any:
        raise KafkaTimeoutError("Batch for TopicPartition expired")


def relay_epoch(services: Any, settings: StreamingSettings) -> int:
    with services.database.connect(autocommit=True) as conn:
        return read_relay_row(conn.cursor(), settings.relay_name).epoch


def wait_for(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)


def test_relay_status_shows_position_lag_and_the_last_error(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    relay = make_relay(kafka_services, kafka_settings.model_copy(update={"relay_batch_size": 5}))
    with kafka_services.database.connect(autocommit=True) as conn:
        relay.publish_once(conn)
        record_error(conn, relay.name, "KafkaTimeoutError('Batch expired')")
    relay.reset_producer()

    [status] = [s for s in relay_statuses_of(kafka_services.database.conninfo,
                                             kafka_services.ledger.recorder.events_table_name)
                if s.name == relay.name]
    metrics = {family.name: family.samples for family in
               RelayCollector(lambda: [status]).collect()}

    assert status.position == relay.position() > 0
    assert status.lag == log_head(kafka_services) - status.position > 0
    assert status.last_error == "KafkaTimeoutError('Batch expired')"
    assert not status.active
    assert metrics["vcio_relay_lag_events"][0].value == status.lag
    assert metrics["vcio_relay_failing"][0].value == 1


def test_the_fast_envelope_is_byte_for_byte_the_one_made_from_the_decoded_event(
        kafka_services: Any, scenario: Any) -> None:
    review_history(scenario)
    query = sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state"
                    " FROM {} ORDER BY notification_id").format(
        sql.Identifier(kafka_services.ledger.recorder.events_table_name))
    with kafka_services.pool.connection() as conn:
        log = [RawEvent(r[0], r[1], r[2], r[3], bytes(r[4])) for r in conn.execute(query)]

    fast = {raw.position: fast_envelope(raw, "vcio-ledger/x") for raw in log}

    slow = {raw.position: encode(to_envelope(raw, kafka_services.decode(raw), "vcio-ledger/x"))
            for raw in log}
    taken = {position for position, envelope in fast.items() if envelope is not None}
    assert len(taken) > len(log) * 0.9, "the fast path serves nearly every event"
    assert {p: fast[p] for p in taken} == {p: slow[p] for p in taken}
