"""The library's connection-kill scenario on our whole write path: the server terminates every
connection of the application (a restart, a failover), then a command is sent. It must succeed
(the stale connections are replaced and the save, which certainly did not commit, is written
once) or answer 503 with Retry-After - never 500 and never twice.

The services run on a database of this module's own, so terminating its connections disturbs
no other test.
"""

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg.conninfo import make_conninfo
from psycopg.sql import SQL, Identifier

from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from runtime.app import build_app
from runtime.database import Database
from runtime.services import Services, build_services
from runtime.settings import Settings
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def own_database(database: Database) -> Iterator[Database]:
    name = f"killed_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    yield Database(make_conninfo(database.conninfo, dbname=name))
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE {} WITH (FORCE)").format(Identifier(name)))


@pytest.fixture(scope="module")
def own_services(own_database: Database, settings: Settings) -> Iterator[Services]:
    services = build_services(settings, own_database)
    yield services
    services.close()


def kill_every_connection(database: Database) -> int:
    """``pg_terminate_backend`` of every connection to the database but the killer's own."""
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        return len(conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())


def answers_to(services: Services, client: uuid.UUID) -> list[Any]:
    return [e for e in services.ledger.recorder.select_events(client)
            if e.topic.endswith("AnswerRecorded")]


def test_a_command_after_the_server_closed_every_connection_is_recorded_once(
        own_services: Services, own_database: Database, tenant: str) -> None:
    scenario = Scenario(own_services.bus, tenant)
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    assert kill_every_connection(own_database) >= 1

    result = own_services.bus.handle(RecordAnswer(
        client_id=client, review_id=review, standard_id=standard, answer=Answer.YES), scenario.tam)

    assert [e.originator_version for e in answers_to(own_services, client)] \
        == [result.version]


def test_an_answer_over_http_after_the_server_closed_every_connection_is_never_a_500(
        own_services: Services, own_database: Database, settings: Settings,
        tenant: str) -> None:
    own_services.pool.check()  # an earlier kill's stale connections: not this test's subject
    scenario = Scenario(own_services.bus, tenant)
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    token = own_services.tokens.create(tenant, "tam", "tom.tam")
    http = TestClient(build_app(own_services), headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/clients/{client}/reviews/{review}/answers/{standard}"
    assert kill_every_connection(own_database) >= 1

    statuses = []
    # Each stale pooled connection may cost one request a 503 (the token check's pool has no
    # pre-ping); the caller retries with the same key until it is answered.
    for _ in range(2 * settings.pool_size + 1):
        response = http.put(url, json={"answer": "yes"}, headers={"Idempotency-Key": "k1"})
        statuses.append(response.status_code)
        if response.status_code != 503:
            break

    assert statuses[-1] == 200 and set(statuses[:-1]) <= {503}
