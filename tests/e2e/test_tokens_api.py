"""An admin lists and revokes the tenant's tokens over the API; a revoked or expired token is
refused (401) on its very next request."""

import uuid
from collections.abc import Callable

import httpx
import pytest
from psycopg import connect

from runtime.services import Services
from tests.e2e.steps import ok

pytestmark = pytest.mark.e2e


def bearer(api_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=f"{api_url}/api/v1", timeout=15,
                        headers={"Authorization": f"Bearer {token}"})


def test_a_created_token_is_listed_with_its_id_and_expiry(admin_api: httpx.Client) -> None:
    created = ok(admin_api.post("/tokens", json={"role": "viewer", "name": "board", "expires_in_days": 90}),
                 201)

    listed = {t["token_id"]: t for t in ok(admin_api.get("/tokens"))["data"]}

    assert listed[created["token_id"]]["expires_at"] == created["expires_at"]
    assert "token" not in listed[created["token_id"]]


def test_a_revoked_token_is_refused_at_once(admin_api: httpx.Client, api_url: str) -> None:
    created = ok(admin_api.post("/tokens", json={"role": "viewer", "name": "leaver"}), 201)
    with bearer(api_url, created["token"]) as leaver:
        ok(leaver.get("/standards"))

        revoked = admin_api.delete(f"/tokens/{created['token_id']}")

        assert revoked.status_code == 204
        assert leaver.get("/standards").status_code == 401


def test_an_expired_token_is_refused(admin_api: httpx.Client, api_url: str, services: Services) -> None:
    created = ok(admin_api.post("/tokens", json={"role": "viewer", "name": "temp", "expires_in_days": 1}),
                 201)
    with connect(services.database.conninfo, autocommit=True) as conn:
        conn.execute("UPDATE vcio_auth.api_tokens SET expires_at = now() - interval '1 second'"
                     " WHERE token_id = %s", (created["token_id"],))

    with bearer(api_url, created["token"]) as expired:
        assert expired.get("/standards").status_code == 401


def test_using_a_token_records_when_it_was_last_used(admin_api: httpx.Client, api_url: str) -> None:
    created = ok(admin_api.post("/tokens", json={"role": "viewer", "name": "reader"}), 201)
    with bearer(api_url, created["token"]) as reader:
        ok(reader.get("/standards"))

    listed = {t["token_id"]: t for t in ok(admin_api.get("/tokens"))["data"]}

    assert created["last_used_at"] is None
    assert listed[created["token_id"]]["last_used_at"] is not None


def test_revoking_another_tenants_token_answers_404(
        admin_api: httpx.Client, caller: Callable[..., httpx.Client]) -> None:
    other_admin = caller("admin", of_tenant=f"other-{uuid.uuid4().hex[:8]}")
    theirs = ok(other_admin.post("/tokens", json={"role": "viewer", "name": "theirs"}), 201)

    response = admin_api.delete(f"/tokens/{theirs['token_id']}")

    assert response.status_code == 404
    assert "token_id" in response.text
