"""/health says ok or degraded and nothing more; a database it cannot reach makes it degraded
(503 with Retry-After), never a 500. Driven over stand-in services, without a database."""

from types import SimpleNamespace
from typing import Any, cast

import psycopg
from fastapi.testclient import TestClient

from api.app import build_api


class Pool:
    """A pool whose database cannot be reached: getting a connection fails as psycopg does."""

    def __init__(self, failure: Exception) -> None:
        self.failure = failure

    def connection(self) -> Any:
        raise self.failure


def health_of(failure: Exception) -> Any:
    services = SimpleNamespace(projectors={}, events_table="events", pool=Pool(failure))
    app = build_api(cast(Any, services), cast(Any, None))
    return TestClient(app, raise_server_exceptions=False).get("/health")


def test_an_unreachable_database_makes_health_degraded_with_retry_after() -> None:
    response = health_of(psycopg.OperationalError("connection refused"))

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["status"] == "degraded"
    assert response.json()["detail"] == "degraded: the database cannot be reached"
