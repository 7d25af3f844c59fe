"""The relay outlives the database dropping its connections (what a PostgreSQL restart or a
failover does; the eventsourcing library's own connection-kill scenario, pg_terminate_backend)
and goes on publishing: every event at least once, in per-aggregate order, re-sending only
from its recorded position."""

import threading
from typing import Any

import pytest

from streaming.config import StreamingSettings
from tests.integration.kafka.helpers import (
    log_events,
    log_head,
    make_relay,
    read_topics,
    review_history,
)
from tests.integration.kafka.test_kafka_relay import (
    assert_every_event_once_or_more_in_order,
    topics,
    wait_for,
)

pytestmark = [pytest.mark.kafka, pytest.mark.integration]

KILLS = 3


def relay_connections(services: Any, relay_name: str, terminate: bool = False) -> int:
    """How many connections the relay has open; with ``terminate``, pg_terminate_backend on
    each of them."""
    query = ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
             if terminate else "SELECT pid FROM pg_stat_activity WHERE application_name = %s")
    with services.database.connect(autocommit=True) as conn:
        return len(conn.execute(query, (f"vcio-relay:{relay_name}"[:63],)).fetchall())


def test_relay_goes_on_publishing_after_the_database_drops_its_connections(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    relay = make_relay(kafka_services, kafka_settings)
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop, 0.2, 0.5), daemon=True)
    runner.start()
    try:
        for _ in range(KILLS):
            wait_for(lambda: relay_connections(kafka_services, relay.name) == 3, 20)
            review_history(scenario)  # the relay is busy with these when its connections go
            # a fourth connection reads ahead while the relay is behind: killed too, if open
            assert relay_connections(kafka_services, relay.name, terminate=True) in (3, 4)
        review_history(scenario)  # written while the relay reconnects
        head = log_head(kafka_services)
        wait_for(lambda: relay.position() >= head, 30)
        alive = runner.is_alive()
    finally:
        stop.set()
        runner.join(timeout=10)

    assert alive
    expected = [event_id for event_id, _ in log_events(kafka_services)]
    found = read_topics(kafka_settings, topics(kafka_settings), until=len(expected))
    assert_every_event_once_or_more_in_order(found, expected)
    resend_window = KILLS * kafka_settings.relay_in_flight * kafka_settings.relay_batch_size
    assert len(found) - len(set(expected)) <= resend_window, "re-sent only from the recorded position"
