"""The relay reads the next batch ahead, on a connection of its own, only while it is behind:
the batches are the ones read one by one, and a relay that has caught up opens nothing."""

from typing import Any

import psycopg
import pytest

from streaming.config import StreamingSettings
from streaming.relay_send import BatchSender, ReadAhead, Spliced
from tests.integration.kafka.helpers import log_head, review_history

pytestmark = [pytest.mark.kafka, pytest.mark.integration]


def batch_sender(services: Any, batch_size: int) -> BatchSender:
    return BatchSender(services.ledger.recorder.events_table_name, services.decode,
                       StreamingSettings(relay_batch_size=batch_size), "vcio-ledger/x")


def counting_connect(services: Any, opened: list[psycopg.Connection[Any]]) -> Any:
    def connect() -> psycopg.Connection[Any]:
        conn = services.database.connect(autocommit=True)
        opened.append(conn)
        return conn
    return connect


def test_batches_read_ahead_are_the_batches_read_one_by_one(kafka_services: Any, scenario: Any) -> None:
    review_history(scenario)
    head = log_head(kafka_services)
    batches = batch_sender(kafka_services, 3)
    opened: list[psycopg.Connection[Any]] = []
    ahead: list[list[Spliced]] = []

    with kafka_services.database.connect(autocommit=True) as conn:
        start = head - 3 * 5 - 2  # the history alone is longer than this
        with ReadAhead(batches, conn, counting_connect(kafka_services, opened)) as reader:
            position = start
            while rows := reader.next(position):
                ahead.append(rows)
                position = rows[-1][0]
        one_by_one = []
        position = start
        while rows := batches.splice(batches.read(conn, position)):
            one_by_one.append(rows)
            position = rows[-1][0]

    assert ahead == one_by_one
    assert [len(rows) for rows in ahead] == [3] * 5 + [2]
    assert len(opened) == 1 and opened[0].closed, "one connection of its own, closed at the end"


def test_a_relay_that_has_caught_up_opens_no_connection_to_read_ahead(
        kafka_services: Any, scenario: Any) -> None:
    review_history(scenario)
    head = log_head(kafka_services)
    batches = batch_sender(kafka_services, 50)
    opened: list[psycopg.Connection[Any]] = []

    with kafka_services.database.connect(autocommit=True) as conn, \
            ReadAhead(batches, conn, counting_connect(kafka_services, opened)) as reader:
        rows = reader.next(head - 3)

    assert [row[0] for row in rows] == [head - 2, head - 1, head]
    assert opened == []
