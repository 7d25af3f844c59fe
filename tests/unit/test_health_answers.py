"""/health says ok or degraded and nothing more; a database it cannot reach makes it degraded
(503 with Retry-After), never a 500. Driven over stand-in services, without a database."""

from types import SimpleNamespace
from typing import Any, cast

import psycopg
from fastapi.testclient import TestClient

from api.app import build_api


class Recorder:
    def __init__(self, failure: Exception | None) -> None:
        self.failure = failure

    def max_notification_id(self) -> int:
        if self.failure is not None:
            raise self.failure
        return 41


def health_of(failure: Exception | None) -> Any:
    services = SimpleNamespace(ledger=SimpleNamespace(recorder=Recorder(failure)), projectors={},
                               events_table="events", pool=None)
    app = build_api(cast(Any, services), cast(Any, None))
    return TestClient(app, raise_server_exceptions=False).get("/health")


def test_an_unreachable_database_makes_health_degraded_with_retry_after() -> None:
    response = health_of(psycopg.OperationalError("connection refused"))

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["status"] == "degraded"
    assert response.json()["detail"] == "degraded: the database cannot be reached"
