"""When the store or the read models cannot answer in time: 503 with a retry hint, never a hang."""

from typing import cast

import httpx
import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from runtime.event_store import PostgresLedgerRecorder
from runtime.services import Services
from tests.e2e.steps import CLIENT_A, Caller, LogHead, ok, problem, problem_fields, publish_standard

pytestmark = pytest.mark.e2e


def test_a_write_that_cannot_take_the_store_lock_answers_503_with_retry_after(
    vcio_api: httpx.Client, services: Services, log_head: LogHead
) -> None:
    table = cast(PostgresLedgerRecorder, services.ledger.recorder).events_table_name
    before = log_head()
    with psycopg.connect(services.database.conninfo) as blocker:
        # the same lock every writer takes, held by a stuck writer
        blocker.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(Identifier(table)))

        response = vcio_api.post("/clients", json=CLIENT_A)

    assert problem(response, 503)["detail"].startswith("the event store is busy")
    assert response.headers["Retry-After"] == "1"
    assert log_head() == before


def test_waiting_for_a_position_past_the_log_head_answers_422_naming_the_field(
    viewer_api: httpx.Client, log_head: LogHead,
) -> None:
    response = viewer_api.get("/standards", params={"wait_for": log_head() + 10**9})

    assert response.status_code == 422
    assert problem_fields(response) == ["query.wait_for"]


def test_a_batch_with_an_invalid_item_names_the_item(vcio_api: httpx.Client, caller: Caller) -> None:
    publish_standard(caller("committee"), "fw-mfa", "firewalls", "high")  # a review must cover one
    client_id = ok(vcio_api.post("/clients", json=CLIENT_A), 201)["client_id"]
    tam = caller("tam")
    review_id = ok(tam.post(f"/clients/{client_id}/reviews", json={}), 201)["review_id"]

    response = tam.post(
        f"/clients/{client_id}/reviews/{review_id}/answers",
        json={"answers": [{"standard_id": client_id, "answer": "maybe"}]},
    )

    assert response.status_code == 422
    assert problem_fields(response) == ["body.answers[0].answer"]


def test_the_openapi_documentation_is_served(api_url: str) -> None:
    docs = httpx.get(f"{api_url}/docs")
    spec = httpx.get(f"{api_url}/openapi.json", timeout=60).json()

    assert docs.status_code == 200
    assert spec["info"]["title"] == "vCIO Ledger"


def test_health_answers_without_a_token(api_url: str) -> None:
    assert httpx.get(f"{api_url}/health").json()["status"] == "ok"
