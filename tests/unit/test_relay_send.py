"""The relay's send loop picks each message's partition itself, exactly as kafka-python's
default partitioner would, and sends the envelope the decoded event gives."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kafka.partitioner.default import DefaultPartitioner

from aggregates.client import Client
from commands.ledger import Ledger
from projections.runner import RawEvent
from streaming.config import StreamingSettings
from streaming.envelope import HEADERS, encode, to_envelope
from streaming.relay_send import BatchSender, Row, Spliced

FAST = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory",
        "TRANSCODER_TOPIC": "runtime.event_store:FastJSONTranscoder"}
SOURCE = "vcio-ledger/x"
PARTITIONS = {"vcio.clients": {0, 1, 2, 3, 4, 5}}


class Cluster:
    """What the default partitioner reads of the producer's metadata."""

    def topics(self) -> set[str]:
        return set(PARTITIONS)

    def partitions_for_topic(self, topic: str) -> set[int]:
        return PARTITIONS[topic]

    def available_partitions_for_topic(self, topic: str) -> set[int]:
        return PARTITIONS[topic]


class RecordingProducer:
    """Keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def partitions_for(self, topic: str) -> set[int]:
        return PARTITIONS[topic]

    def send(self, topic: str, **kwargs: Any) -> object:
        self.sent.append({"topic": topic, **kwargs})
        return object()


@pytest.fixture(scope="module")
def ledger() -> Iterator[Ledger]:
    built = Ledger(env=FAST)
    yield built
    built.close()


def rows_of_clients(ledger: Ledger, count: int) -> list[Row]:
    """The creation event of each of ``count`` clients, as the batch query reads them."""
    clients = [Client.create_with_id(
        uuid.uuid4(), tenant="msp", name=f"Client {n}", mrr="3000", user_count=40, complexity=5,
        industry="law", fiscal_year_start_month=1, vcio="v", tam="t", by="v") for n in range(count)]
    events = [event for client in clients for event in client.collect_events()]
    rows: list[Row] = []
    for position, event in enumerate(events, start=1):
        stored = ledger.mapper.to_stored_event(event)
        rows.append((position, str(stored.originator_id).encode(), stored.originator_version,
                     stored.topic, stored.state))
    return rows


def sender(decode: Any) -> BatchSender:
    return BatchSender("events", decode, StreamingSettings(), SOURCE)


def raw_event(row: Row | Spliced) -> RawEvent:
    return RawEvent(row[0], uuid.UUID(row[1].decode()), row[2], row[3], row[4])


def test_each_message_goes_to_the_partition_the_default_partitioner_chooses_for_its_key(
        ledger: Ledger) -> None:
    rows = rows_of_clients(ledger, 40)
    producer = RecordingProducer()

    batches = sender(lambda raw: None)

    batches.send(producer, batches.splice(rows))  # type: ignore[arg-type]

    chosen = [DefaultPartitioner().partition(m["topic"], m["key"], m["key"], None, None, Cluster())
              for m in producer.sent]
    assert [m["partition"] for m in producer.sent] == chosen
    assert len(set(chosen)) > 1, "forty keys spread over more than one partition"


def test_each_message_is_keyed_by_its_aggregate_and_carries_the_cloudevents_header(
        ledger: Ledger) -> None:
    rows = rows_of_clients(ledger, 3)
    producer = RecordingProducer()

    batches = sender(lambda raw: None)

    batches.send(producer, batches.splice(rows))  # type: ignore[arg-type]

    assert [m["key"] for m in producer.sent] == [row[1] for row in rows]
    assert all(m["headers"] == HEADERS and m["topic"] == "vcio.clients" for m in producer.sent)


def test_the_envelope_sent_is_the_one_made_from_the_decoded_event(ledger: Ledger) -> None:
    rows = rows_of_clients(ledger, 2)
    producer = RecordingProducer()

    def decode(raw: RawEvent) -> Any:
        return ledger.mapper.to_domain_event(_stored(raw))

    batches = sender(decode)

    batch = batches.send(producer, batches.splice(rows))  # type: ignore[arg-type]

    expected = [encode(to_envelope(raw_event(row), decode(raw_event(row)), SOURCE)) for row in rows]
    assert [m["value"] for m in producer.sent] == expected
    assert batch.position == rows[-1][0]


def _stored(raw: RawEvent) -> Any:
    from eventsourcing.persistence import StoredEvent

    return StoredEvent(raw.originator_id, raw.originator_version, raw.topic, raw.state)


def test_an_event_the_splice_cannot_serve_is_sent_as_the_decoder_gives_it(ledger: Ledger) -> None:
    [row] = rows_of_clients(ledger, 1)
    nul_row: Row = (row[0], row[1], row[2], row[3], row[4].replace(b"Client 0", b"Client\\u0000"))
    decoded: list[RawEvent] = []
    producer = RecordingProducer()

    def decode(raw: RawEvent) -> Any:
        decoded.append(raw)
        return ledger.mapper.to_domain_event(_stored(raw))

    batches = sender(decode)

    batches.send(producer, batches.splice([nul_row]))  # type: ignore[arg-type]

    raw = raw_event(nul_row)
    assert decoded == [raw]
    assert producer.sent[0]["value"] == encode(to_envelope(
        raw, ledger.mapper.to_domain_event(_stored(raw)), SOURCE))
