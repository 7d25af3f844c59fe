"""GET /metrics: each projection's position, head, lag, dead letters and runner, in the
Prometheus text format, for an operator's metrics token only; /health says ok or degraded
without figures; an operator reads the figures at /api/v1/status with the same token."""

from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from psycopg.sql import SQL, Identifier

from aggregates.client import Client
from projections.catalog import CATALOG_SCHEMA, generation_schema
from projections.client_directory import ClientDirectoryProjection
from runtime.app import build_app
from runtime.services import Services, build_services
from tests.e2e.serving import serving
from tests.e2e.steps import onboard
from tests.integration.conftest import private_name

pytestmark = pytest.mark.e2e

GAUGES = ("vcio_projection_position", "vcio_projection_head", "vcio_projection_lag_events",
          "vcio_projection_dead_letters", "vcio_projection_runner_active")

Samples = dict[tuple[str, str], float]


@pytest.fixture
def metrics_token(services: Services, tenant: str) -> str:
    return services.tokens.create(tenant, "metrics", "prometheus")


def scrape(base_url: str, token: str) -> Samples:
    """Every sample of /metrics, by (metric name, projection label)."""
    response = httpx.get(f"{base_url}/metrics", timeout=15, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, s.labels["projection"]): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


class OnboardingPoisoned(ClientDirectoryProjection):
    """The client directory, unable to apply the onboardings of one tenant."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant

    def apply(self, cur: Any, event: Any, position: int) -> None:
        if isinstance(event, Client.ClientOnboarded) and event.tenant == self.tenant:
            raise RuntimeError("cannot list the client")
        super().apply(cur, event, position)


@pytest.fixture
def poisoned_services(services: Services, tenant: str) -> Iterator[Services]:
    """Services of another process whose only projection is a client directory poisoned by this
    test's tenant; its schemas and catalog rows are dropped afterwards."""
    name = private_name("poisoned_directory")
    projection = type("PrivateOnboardingPoisoned", (OnboardingPoisoned,), {"name": name})(tenant)
    other = build_services(services.settings, services.database, projections=[projection])
    yield other
    other.close()
    with psycopg.connect(services.database.conninfo, autocommit=True) as conn:
        for (schema,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                      (generation_schema(name, 0)[:-1] + "%",)).fetchall():
            conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))
        conn.execute(SQL("DELETE FROM {}.registry WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (name,))
        conn.execute(SQL("DELETE FROM {}.dead_letters WHERE projection = %s").format(
            Identifier(CATALOG_SCHEMA)), (name,))


def test_metrics_give_every_projection_its_position_head_lag_dead_letters_and_runner(
        api_url: str, services: Services, metrics_token: str) -> None:
    samples = scrape(api_url, metrics_token)

    for name in services.projectors:
        position, head, lag = (samples[(gauge, name)] for gauge in GAUGES[:3])
        assert 0 <= position <= head
        assert lag == head - position
        assert samples[("vcio_projection_dead_letters", name)] >= 0
        assert samples[("vcio_projection_runner_active", name)] == 1


def test_a_dead_letter_shows_up_in_the_metrics_of_its_projection(
        poisoned_services: Services, vcio_api: httpx.Client, metrics_token: str) -> None:
    onboard(vcio_api)
    [projector] = poisoned_services.projectors.values()
    projector.catch_up()

    with serving(build_app(poisoned_services)) as url:
        samples = scrape(url, metrics_token)

    assert {key for key in samples if key[1] != projector.name} == set()
    assert samples[("vcio_projection_dead_letters", projector.name)] == 1
    assert samples[("vcio_projection_lag_events", projector.name)] == 0
    assert samples[("vcio_projection_runner_active", projector.name)] == 0


def test_metrics_without_a_token_answer_401(api_url: str) -> None:
    response = httpx.get(f"{api_url}/metrics", timeout=15)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert [e["field"] for e in response.json()["errors"]] == ["header.Authorization"]


def test_metrics_refuse_a_tenant_admin_token(api_url: str, services: Services, tenant: str) -> None:
    admin = services.tokens.create(tenant, "admin", "ada.admin")

    response = httpx.get(f"{api_url}/metrics", timeout=15, headers={"Authorization": f"Bearer {admin}"})

    assert response.status_code == 401


def test_a_metrics_token_reads_no_tenant_data(api_url: str, metrics_token: str) -> None:
    response = httpx.get(f"{api_url}/api/v1/clients", timeout=15,
                         headers={"Authorization": f"Bearer {metrics_token}"})

    assert response.status_code == 401


def test_health_says_ok_and_shows_no_figures(api_url: str, vcio_api: httpx.Client) -> None:
    onboard(vcio_api)

    response = httpx.get(f"{api_url}/health", timeout=15)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_operator_reads_the_log_head_and_every_read_model_at_status(
        api_url: str, vcio_api: httpx.Client, services: Services, metrics_token: str) -> None:
    onboard(vcio_api)

    body = httpx.get(f"{api_url}/api/v1/status", timeout=15,
                     headers={"Authorization": f"Bearer {metrics_token}"}).json()

    assert body["status"] == "ok"
    assert body["log_head"] >= 1
    assert {m["name"] for m in body["read_models"]} == set(services.projectors)


@pytest.mark.parametrize("route", ["/status", "/projections"])
def test_installation_figures_are_refused_to_a_tenant_admin(admin_api: httpx.Client, route: str) -> None:
    response = admin_api.get(route)

    assert response.status_code == 401
    assert "metrics token" in response.json()["detail"]
    assert "log_head" not in response.text


def test_status_is_refused_to_a_viewer(viewer_api: httpx.Client) -> None:
    response = viewer_api.get("/status")

    assert response.status_code == 401


def test_a_tenant_admin_cannot_issue_a_metrics_token_over_the_api(admin_api: httpx.Client) -> None:
    response = admin_api.post("/tokens", json={"role": "metrics", "name": "prometheus"})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.role"]


def test_a_metrics_token_cannot_sign_in_to_the_dashboard(api_url: str, metrics_token: str) -> None:
    response = httpx.post(f"{api_url}/sign-in", data={"token": metrics_token, "next": "/"},
                          headers={"Origin": api_url}, timeout=15)

    assert response.status_code == 401
    assert "set-cookie" not in response.headers
