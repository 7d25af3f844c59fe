"""Who may do what: a token is required, roles guard writes, and tenants never see each other."""

import httpx
import pytest

from runtime.services import Services
from tests.e2e.steps import CLIENT_A, Caller, LogHead, ok, onboard, problem, problem_fields

pytestmark = pytest.mark.e2e


def test_a_request_without_a_token_is_refused_with_401(api_url: str) -> None:
    response = httpx.get(f"{api_url}/api/v1/standards")

    assert "bearer token" in problem(response, 401)["detail"]


def test_an_unknown_token_is_refused_with_401(api_url: str) -> None:
    response = httpx.get(
        f"{api_url}/api/v1/standards", headers={"Authorization": "Bearer vcio_not-a-real-token"}
    )

    assert response.status_code == 401


def test_a_viewer_cannot_onboard_a_client_and_is_told_which_role_can(
    viewer_api: httpx.Client, log_head: LogHead
) -> None:
    before = log_head()

    response = viewer_api.post("/clients", json=CLIENT_A)

    assert "vcio" in problem(response, 403)["detail"]
    assert log_head() == before


def test_a_tam_cannot_change_the_standards_library(tam_api: httpx.Client) -> None:
    response = tam_api.post("/standards", json={})

    assert "committee" in problem(response, 403)["detail"]


def test_a_viewer_can_read_a_client(vcio_api: httpx.Client, viewer_api: httpx.Client) -> None:
    written = onboard(vcio_api)

    read = ok(viewer_api.get(f"/clients/{written['client_id']}", params={"wait_for": written["position"]}))

    assert read["name"] == CLIENT_A["name"]


def test_another_tenants_client_is_not_found_rather_than_forbidden(
    vcio_api: httpx.Client, caller: Caller, tenant: str
) -> None:
    written = onboard(vcio_api)
    stranger = caller("admin", of_tenant=f"{tenant}-stranger")
    client_id, wait = written["client_id"], {"wait_for": written["position"]}

    responses = [
        stranger.get(f"/clients/{client_id}", params=wait),
        stranger.get(f"/clients/{client_id}/alignment", params=wait),
        stranger.get(f"/clients/{client_id}/timeline", params=wait),
        stranger.get(f"/clients/{client_id}/score-history", params=wait),
        stranger.patch(f"/clients/{client_id}", json={"complexity": 7}),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert problem_fields(responses[-1]) == ["client_id"]


def test_projection_status_is_for_an_operator_token_only(
        api_url: str, services: Services, tenant: str, viewer_api: httpx.Client) -> None:
    token = services.tokens.create(tenant, "metrics", "operator")

    status = ok(httpx.get(f"{api_url}/api/v1/projections", timeout=15,
                          headers={"Authorization": f"Bearer {token}"}))

    assert {p["name"] for p in status["data"]} >= {"client_alignment", "audit_timeline"}
    assert viewer_api.get("/projections").status_code == 401


def test_an_admin_creates_a_token_for_its_own_tenant(
    admin_api: httpx.Client, api_url: str, tenant: str
) -> None:
    created = ok(admin_api.post("/tokens", json={"role": "viewer", "name": "board member"}), 201)

    as_new = httpx.get(f"{api_url}/api/v1/standards", headers={"Authorization": f"Bearer {created['token']}"})

    assert created["tenant"] == tenant
    assert as_new.status_code == 200
