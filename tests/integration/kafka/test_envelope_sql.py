"""The envelope PostgreSQL splices while the relay reads the log is byte for byte the one
written from the decoded event, or NULL (then the relay splices or decodes in Python)."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from psycopg import sql

from commands.ledger import Ledger
from projections.runner import RawEvent
from runtime.database import Database
from streaming.envelope import encode, to_envelope
from streaming.envelope_sql import batch_parameters, batch_query
from tests.integration.kafka.helpers import review_history
from tests.unit.test_envelope import FAST, NOTES, SOURCE, stored

pytestmark = [pytest.mark.kafka, pytest.mark.integration]


@pytest.fixture(scope="module")
def ledger() -> Iterator[Ledger]:
    built = Ledger(env=FAST)
    yield built
    built.close()


@pytest.fixture(scope="module")
def scratch_table(database: Database) -> Iterator[str]:
    """A table shaped like the event log's, for events made in memory."""
    name = f"envelope_sql_{uuid.uuid4().hex[:12]}"
    with database.connect(autocommit=True) as conn:
        conn.execute(sql.SQL(
            "CREATE TABLE public.{} (notification_id bigserial PRIMARY KEY, originator_id uuid,"
            " originator_version integer, topic text, state bytea)").format(sql.Identifier(name)))
    yield name
    with database.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE public.{}").format(sql.Identifier(name)))


def spliced(conn: Any, table: str, topics: set[str], after: int = 0) -> dict[int, bytes | None]:
    """Each row's envelope as the batch query gives it, by position."""
    rows = conn.execute(batch_query(table), batch_parameters(topics, SOURCE, after, 10_000),
                        binary=True).fetchall()
    return {row[0]: row[4] for row in rows}


def append(conn: Any, table: str, events: list[tuple[RawEvent, Any]]) -> list[tuple[RawEvent, Any]]:
    """The events written to the table, with the positions the table gave them."""
    written = []
    for raw, event in events:
        position = conn.execute(sql.SQL(
            "INSERT INTO public.{} (originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s) RETURNING notification_id").format(sql.Identifier(table)),
            (raw.originator_id, raw.originator_version, raw.topic, raw.state)).fetchone()[0]
        written.append((RawEvent(position, raw.originator_id, raw.originator_version, raw.topic,
                                 raw.state), event))
    return written


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=NOTES)
def test_the_envelope_the_database_splices_is_byte_for_byte_the_decoded_events(
        database: Database, ledger: Ledger, scratch_table: str, note: str) -> None:
    with database.connect(autocommit=True) as conn:
        after = conn.execute(sql.SQL("SELECT coalesce(max(notification_id), 0) FROM public.{}")
                             .format(sql.Identifier(scratch_table))).fetchone()[0]
        events = append(conn, scratch_table, stored(ledger, note))

        found = spliced(conn, scratch_table, {raw.topic for raw, _ in events}, after)

    assert found == {raw.position: encode(to_envelope(raw, event, SOURCE)) for raw, event in events}


def test_an_event_of_a_topic_the_relay_has_not_named_gets_no_envelope(
        database: Database, ledger: Ledger, scratch_table: str) -> None:
    with database.connect(autocommit=True) as conn:
        events = append(conn, scratch_table, stored(ledger, "no offsite copy"))
        unnamed = events[-1][0]

        found = spliced(conn, scratch_table, {raw.topic for raw, _ in events} - {unnamed.topic},
                        unnamed.position - 1)

    assert found == {unnamed.position: None}


def test_the_database_splices_nearly_every_event_of_a_real_log_as_the_decoder_gives_it(
        kafka_services: Any, scenario: Any) -> None:
    review_history(scenario)
    table = kafka_services.ledger.recorder.events_table_name
    query = sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state"
                    " FROM {} ORDER BY notification_id").format(sql.Identifier(table))
    with kafka_services.pool.connection() as conn:
        log = [RawEvent(r[0], r[1], r[2], r[3], bytes(r[4])) for r in conn.execute(query)]
        found = spliced(conn, table, {raw.topic for raw in log})

    slow = {raw.position: encode(to_envelope(raw, kafka_services.decode(raw), SOURCE)) for raw in log}
    taken = {position for position, envelope in found.items() if envelope is not None}
    assert len(taken) > len(log) * 0.9, "the database serves nearly every event"
    assert {p: found[p] for p in taken} == {p: slow[p] for p in taken}
