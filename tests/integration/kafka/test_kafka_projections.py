"""Projections fed from Kafka give the rows the log gives, whether one process applies every
partition or several processes split them."""

import threading
import time
import uuid
from typing import Any

import pytest

from projections.client_alignment import ClientAlignmentProjection
from projections.score_history import ScoreHistoryProjection
from streaming.config import StreamingSettings
from streaming.kafka_feed import KafkaFeeder, SplitNotSafeError
from tests.integration.kafka.helpers import (
    ALIGNMENT_TABLES,
    Broker,
    feeder,
    log_fed_copy,
    make_relay,
    relay_to_head,
    review_history,
    settings_for,
    table_rows,
)

pytestmark = [pytest.mark.kafka, pytest.mark.integration]

def test_kafka_fed_projection_equals_log_fed_projection(
        kafka_services: Any, scenario: Any, broker: Broker) -> None:
    # one big batch: applying the standards topic ahead of the clients topic would show
    kafka_settings = settings_for(broker, feed_batch_size=100_000)
    review_history(scenario)
    head = relay_to_head(kafka_services, make_relay(kafka_services, kafka_settings))
    from_log = log_fed_copy(kafka_services, ScoreHistoryProjection())

    from_kafka = f"score_ka_{uuid.uuid4().hex[:6]}"
    feeder(kafka_services, ScoreHistoryProjection(), kafka_settings, from_kafka).catch_up(head)

    for table in (*ALIGNMENT_TABLES, "scores"):
        assert table_rows(kafka_services, from_kafka, table) == \
            table_rows(kafka_services, from_log, table), table
    assert table_rows(kafka_services, from_kafka, "scores")


def test_a_restarted_feeder_applies_nothing_twice(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    relay = make_relay(kafka_services, kafka_settings)
    relay_to_head(kafka_services, relay)
    name = f"align_ka_{uuid.uuid4().hex[:6]}"
    feeder(kafka_services, ClientAlignmentProjection(), kafka_settings, name).catch_up(
        relay.position())

    review_history(scenario)
    relay_to_head(kafka_services, make_relay(kafka_services, kafka_settings))
    feeder(kafka_services, ClientAlignmentProjection(), kafka_settings, name).catch_up(
        relay.position())

    from_log = log_fed_copy(kafka_services, ClientAlignmentProjection())
    for table in ALIGNMENT_TABLES:
        assert table_rows(kafka_services, name, table) == table_rows(kafka_services, from_log, table)


def test_two_feeders_splitting_the_partitions_give_the_same_rows_as_one(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    review_history(scenario)
    review_history(scenario)
    head = relay_to_head(kafka_services, make_relay(kafka_services, kafka_settings))
    single = f"align_one_{uuid.uuid4().hex[:6]}"
    feeder(kafka_services, ClientAlignmentProjection(), kafka_settings, single).catch_up(head)

    split = f"align_two_{uuid.uuid4().hex[:6]}"
    halves = [feeder(kafka_services, ClientAlignmentProjection(), kafka_settings, split, part)
              for part in ([0, 1], [2, 3])]
    stop = threading.Event()
    threads = [threading.Thread(target=half.run, args=(stop, 0.2), daemon=True) for half in halves]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        while kafka_services.reader.position(split) < head:
            assert time.monotonic() < deadline, "the two feeders did not catch up"
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)

    for table in ALIGNMENT_TABLES:
        assert table_rows(kafka_services, split, table) == table_rows(kafka_services, single, table)


def test_splitting_a_projection_that_reads_across_aggregates_is_refused(
        kafka_services: Any, kafka_settings: StreamingSettings) -> None:
    with pytest.raises(SplitNotSafeError):
        KafkaFeeder(kafka_services.database.conninfo, ScoreHistoryProjection(),
                    kafka_services.decode, kafka_settings, partitions=[0, 1])


def test_a_kafka_fed_projection_runs_beside_a_server_that_does_not_run_it(
        kafka_services: Any, scenario: Any, kafka_settings: StreamingSettings) -> None:
    from runtime.services import build_services
    from runtime.settings import Settings

    served = type("ServedAlignment", (ClientAlignmentProjection,),
                  {"name": f"align_srv_{uuid.uuid4().hex[:6]}"})
    others = type("OtherAlignment", (ClientAlignmentProjection,),
                  {"name": f"align_oth_{uuid.uuid4().hex[:6]}"})
    review_history(scenario)
    head = relay_to_head(kafka_services, make_relay(kafka_services, kafka_settings))
    server = build_services(Settings(database_url=None, projections=others.name),
                            kafka_services.database, [served(), others()])
    fed = feeder(kafka_services, served(), kafka_settings, served.name)
    stop = threading.Event()
    feeding = threading.Thread(target=fed.run, args=(stop, 0.2), daemon=True)
    try:
        server.start_projection_runners()  # as `vcio serve --projections <others>` does
        feeding.start()

        server.wait_for(head, [served.name, others.name], timeout=20)
    finally:
        stop.set()
        feeding.join(timeout=10)
        server.close()
    from_log = log_fed_copy(kafka_services, ClientAlignmentProjection())
    for table in ALIGNMENT_TABLES:
        assert table_rows(kafka_services, served.name, table) == \
            table_rows(kafka_services, from_log, table)
    # the feeder, not a log runner of the server, applied the events
    assert table_rows(kafka_services, served.name, "kafka_applied")
