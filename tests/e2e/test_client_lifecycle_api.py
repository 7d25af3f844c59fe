"""Offboarding and re-onboarding a client over HTTP."""

import httpx
import pytest

from tests.e2e.steps import ok, onboard, problem_fields

pytestmark = pytest.mark.e2e


def test_an_offboarded_client_leaves_the_client_list_and_shows_when_asked_for(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]

    written = ok(vcio_api.post(f"/clients/{client_id}/offboard",
                               json={"effective_on": "2025-02-01", "reason": "acquired"}))

    listed = ok(vcio_api.get("/clients", params={"wait_for": written["position"]}))
    everyone = ok(vcio_api.get("/clients", params={"include_offboarded": True}))
    assert client_id not in [c["client_id"] for c in listed["data"]]
    assert [c["offboarded_on"] for c in everyone["data"] if c["client_id"] == client_id] == [
        "2025-02-01"]


def test_a_re_onboarded_client_is_back_in_the_client_list(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    ok(vcio_api.post(f"/clients/{client_id}/offboard",
                     json={"effective_on": "2025-02-01", "reason": "acquired"}))

    written = ok(vcio_api.post(f"/clients/{client_id}/reonboard", json={"reason": "back"}))

    listed = ok(vcio_api.get("/clients", params={"wait_for": written["position"]}))
    assert client_id in [c["client_id"] for c in listed["data"]]


def test_an_offboarding_without_a_date_is_refused_naming_the_field(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = vcio_api.post(f"/clients/{client_id}/offboard", json={"reason": "acquired"})

    assert problem_fields(response) == ["body.effective_on"] and response.status_code == 422


def test_offboarding_twice_is_a_conflict(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    body = {"effective_on": "2025-02-01", "reason": "acquired"}
    ok(vcio_api.post(f"/clients/{client_id}/offboard", json=body))

    response = vcio_api.post(f"/clients/{client_id}/offboard", json=body)

    assert problem_fields(response) == ["client_id"] and response.status_code == 409


def test_a_tam_may_not_offboard_a_client(vcio_api: httpx.Client, tam_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = tam_api.post(f"/clients/{client_id}/offboard", json={})

    assert response.status_code == 403
