"""``vcio clients list``, and ``--client`` taking a client's id, key or name: an ambiguous name
is refused naming the candidates (exit 2), an unknown one is refused, never guessed."""

from datetime import UTC, datetime
from uuid import UUID

import pytest
from typer.testing import CliRunner

from runtime.cli import app
from runtime.services import Services
from runtime.tenants import TenantStore
from tests.integration.test_cli_boundary import refused
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.fixture
def clients(services: Services, tenant: str) -> dict[str, UUID]:
    """Three clients of a known tenant, two of them with the same name."""
    TenantStore(services.pool).create(tenant)
    scenario = Scenario(services.bus, tenant)
    made = {"acme": scenario.client("Acme Dental"), "bolt": scenario.client("Bolt Freight"),
            "bolt-too": scenario.client("Bolt Freight")}
    services.catch_up()
    return made


def plan_for(vcio: CliRunner, tenant: str, client: str) -> str:
    result = vcio.invoke(app, ["schedule", "plan", "--year", str(NEXT_YEAR), "--tenant", tenant,
                               "--client", client, "--dry-run"])
    assert result.exit_code == 0, result.output
    return result.output


def test_clients_list_shows_each_clients_key_name_and_id(
        vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    result = vcio.invoke(app, ["clients", "list", "--tenant", tenant])

    assert result.exit_code == 0, result.output
    for client_id in clients.values():
        assert client_id.hex[:8] in result.output and str(client_id) in result.output
    assert "Acme Dental" in result.output


def test_client_option_takes_a_name_in_any_case(
        vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    output = plan_for(vcio, tenant, "acme dental")

    assert "Acme Dental" in output and "Bolt Freight" not in output


def test_client_option_takes_a_key(vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    output = plan_for(vcio, tenant, clients["bolt"].hex[:8])

    assert "Bolt Freight" in output and "Acme Dental" not in output


def test_client_option_takes_an_id(vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    output = plan_for(vcio, tenant, str(clients["acme"]))

    assert "Acme Dental" in output


def test_an_ambiguous_name_is_refused_naming_the_candidates(
        vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    result = vcio.invoke(app, ["schedule", "plan", "--year", str(NEXT_YEAR), "--tenant", tenant,
                               "--client", "Bolt Freight", "--dry-run"])

    refused(result, "fits 2 clients", clients["bolt"].hex[:8], clients["bolt-too"].hex[:8])


def test_an_unknown_name_is_refused(vcio: CliRunner, tenant: str, clients: dict[str, UUID]) -> None:
    result = vcio.invoke(app, ["schedule", "ics", "--tenant", tenant, "--year", str(NEXT_YEAR),
                               "--client", "Nobody Ltd"])

    refused(result, "Nobody Ltd")


def test_listing_the_clients_of_an_unknown_tenant_is_refused(vcio: CliRunner) -> None:
    result = vcio.invoke(app, ["clients", "list", "--tenant", "no-such-msp"])

    refused(result, "no-such-msp")
