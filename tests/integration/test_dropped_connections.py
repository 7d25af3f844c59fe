"""A database restart drops every pooled connection; the next request's bearer-token lookup
meets a dead connection. It must answer 503 with Retry-After (or succeed), never 500."""

from collections.abc import Iterator
from contextlib import ExitStack

import psycopg
import pytest
from fastapi.testclient import TestClient

from runtime.app import build_app
from runtime.services import Services, build_services

pytestmark = pytest.mark.integration


@pytest.fixture
def own_services(services: Services) -> Iterator[Services]:
    """Services with a pool of their own and no read models, so killing their connections
    leaves the rest of the suite alone."""
    other = build_services(services.settings, services.database, projections=[])
    yield other
    other.close()


def kill_pooled_connections(services: Services) -> int:
    """Terminate every connection the pool holds (what a PostgreSQL restart does to them)."""
    with ExitStack() as stack:
        held = [stack.enter_context(services.pool.connection())
                for _ in range(services.settings.pool_size)]
        pids = [conn.info.backend_pid for conn in held]
    with psycopg.connect(services.database.conninfo, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    return len(pids)


@pytest.fixture
def admin_client(own_services: Services, tenant: str) -> TestClient:
    token = own_services.tokens.create(tenant, "admin", "ada.admin")
    return TestClient(build_app(own_services), raise_server_exceptions=False,
                      headers={"Authorization": f"Bearer {token}"})


def test_a_token_lookup_on_a_dropped_connection_answers_503_with_retry_after(
        own_services: Services, admin_client: TestClient) -> None:
    killed = kill_pooled_connections(own_services)

    answers = [admin_client.get("/api/v1/tokens") for _ in range(killed)]

    assert {a.status_code for a in answers} <= {200, 503}, [a.text for a in answers]
    assert all(a.headers.get("retry-after") == "1" for a in answers if a.status_code == 503)


def test_requests_succeed_again_once_the_dropped_connections_are_replaced(
        own_services: Services, admin_client: TestClient) -> None:
    for _ in range(kill_pooled_connections(own_services)):
        admin_client.get("/api/v1/tokens")

    answer = admin_client.get("/api/v1/tokens")

    assert answer.status_code == 200
