"""The error contract of the whole server: the API answers RFC 9457 problems and documents them
for every operation; the dashboard and the printable QBR page answer HTML pages."""

from typing import Any

import httpx
import pytest

from tests.e2e.steps import problem, problem_fields

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def openapi(api_url: str) -> dict[str, Any]:
    spec: dict[str, Any] = httpx.get(f"{api_url}/openapi.json", timeout=60).json()
    return spec


def test_every_error_every_operation_documents_is_a_problem_or_an_html_page(openapi: dict[str, Any]) -> None:
    media = {(code, next(iter(doc["content"])))
             for operations in openapi["paths"].values() for operation in operations.values()
             for code, doc in operation["responses"].items() if code[0] in "45"}

    assert {kind for _, kind in media} == {"application/problem+json", "text/html"}
    assert {code for code, _ in media} >= {"401", "403", "404", "409", "422", "500", "503"}
    assert set(openapi["components"]["schemas"]["Problem"]["properties"]) == {
        "type", "title", "status", "detail", "errors"}


def test_a_body_that_is_not_json_answers_422_naming_the_body(vcio_api: httpx.Client) -> None:
    response = vcio_api.post("/clients", content=b'{"name": "Acme',
                             headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert problem_fields(response) == ["body"]


def test_a_method_a_path_does_not_take_answers_405_allowing_all_it_takes(vcio_api: httpx.Client) -> None:
    response = vcio_api.delete("/clients")

    assert problem(response, 405)["title"] == "Method Not Allowed"
    assert response.headers["Allow"] == "GET, POST"


def test_an_unknown_api_path_answers_a_404_problem(vcio_api: httpx.Client) -> None:
    assert problem(vcio_api.get("/no-such-thing"), 404)["detail"] == "Not Found"


def test_the_qbr_page_without_a_token_answers_an_html_401(api_url: str) -> None:
    response = httpx.get(f"{api_url}/api/v1/clients/7d1c8a52-4a43-4f39-9a33-1a3f6b7c0e11/qbr.html")

    assert (response.status_code, response.headers["content-type"]) == (401, "text/html; charset=utf-8")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unknown_dashboard_page_answers_an_html_404(api_url: str) -> None:
    response = httpx.get(f"{api_url}/no-such-page")

    assert (response.status_code, response.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "Not found" in response.text
