"""Every error the API maps answers one shape, RFC 9457 problem details, with the status its kind
has; an HTML route answers its errors as a page. Driven through a small app with the real
handlers, so each mapping is checked without a database."""

from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from aggregates.errors import ConflictError, DomainError, NotFoundError
from api.errors import install_error_handlers
from api.rendering import build_templates
from commands.bus import NotPermittedError
from commands.ledger import StoreBusyError
from projections.catalog import ProjectionTimeoutError

FAILURES: dict[str, Exception] = {
    "not-found": NotFoundError("client_id", "no client with this id"),
    "conflict": ConflictError("expected_version", "the client is at version 3"),
    "rule": DomainError("rating", "an aligned answer is not rated"),
    "not-permitted": NotPermittedError("OnboardClient", "viewer", frozenset({"vcio"})),
    "busy": StoreBusyError("lock timeout"),
    "behind": ProjectionTimeoutError("projection roadmap has not reached 9"),
    "database": psycopg.OperationalError("connection refused"),
    "crash": RuntimeError("a secret the caller must not see"),
}


class Thing(BaseModel):
    count: int


@pytest.fixture(scope="module")
def api() -> TestClient:
    app = FastAPI()
    app.state.templates = build_templates()
    install_error_handlers(app)

    @app.get("/fail/{kind}")
    def fail(kind: str) -> None:
        raise FAILURES[kind]

    @app.get("/page/{kind}", response_class=HTMLResponse)
    def page(kind: str) -> HTMLResponse:
        raise FAILURES[kind]

    @app.post("/things")
    def create(thing: Thing) -> Thing:
        return thing

    @app.get("/things")
    def read() -> list[Thing]:
        return []

    return TestClient(app, raise_server_exceptions=False)


def problem(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize(("kind", "status", "fields"), [
    ("not-found", 404, ["client_id"]),
    ("conflict", 409, ["expected_version"]),
    ("rule", 422, ["rating"]),
    ("not-permitted", 403, []),
    ("busy", 503, []),
    ("behind", 503, []),
    ("database", 503, []),
    ("crash", 500, []),
])
def test_each_kind_of_error_answers_a_problem_with_its_status_and_fields(
    api: TestClient, kind: str, status: int, fields: list[str]
) -> None:
    response = api.get(f"/fail/{kind}")

    assert response.status_code == status
    assert [e["field"] for e in problem(response)["errors"]] == fields


@pytest.mark.parametrize("kind", ["busy", "behind", "database"])
def test_a_busy_answer_says_when_to_retry(api: TestClient, kind: str) -> None:
    assert api.get(f"/fail/{kind}").headers["Retry-After"] == "1"


def test_an_unexpected_failure_does_not_show_its_message(api: TestClient) -> None:
    response = api.get("/fail/crash")

    assert "secret" not in response.text


def test_a_body_that_is_not_json_answers_422_naming_the_body(api: TestClient) -> None:
    response = api.post("/things", content=b'{"count": 1,', headers={"content-type": "application/json"})

    assert response.status_code == 422
    [error] = problem(response)["errors"]
    assert error["field"] == "body"
    assert error["reason"].startswith("not valid JSON")


def test_a_body_that_is_not_text_answers_422_naming_the_body(api: TestClient) -> None:
    response = api.post("/things", content=b"\xff\xfe{", headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert [e["field"] for e in problem(response)["errors"]] == ["body"]


def test_an_invalid_field_is_named_with_its_place_in_the_request(api: TestClient) -> None:
    response = api.post("/things", json={"count": "many"})

    assert [e["field"] for e in problem(response)["errors"]] == ["body.count"]


def test_a_method_no_route_takes_answers_405_allowing_every_method_of_the_path(api: TestClient) -> None:
    response = api.delete("/things")

    assert problem(response)["status"] == 405
    assert response.headers["Allow"] == "GET, POST"


def test_an_unknown_path_answers_a_404_problem(api: TestClient) -> None:
    assert problem(api.get("/nothing-here"))["status"] == 404


def test_an_html_route_answers_its_errors_as_a_page_naming_the_field(api: TestClient) -> None:
    response = api.get("/page/not-found")

    assert (response.status_code, response.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "client_id" in response.text


def test_the_openapi_documents_every_error_as_a_problem(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()

    errors = [(path, code, doc) for path, operations in spec["paths"].items()
              for operation in operations.values()
              for code, doc in operation["responses"].items() if code[0] in "45"]
    assert {code for _, code, _ in errors} >= {"422", "500"}
    for path, _, doc in errors:
        kind = "text/html" if path.startswith("/page") else "application/problem+json"
        assert list(doc["content"]) == [kind]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
