"""``vcio people erase`` forgets a decision maker, and refuses what it cannot erase in one line."""

import uuid
from decimal import Decimal
from uuid import UUID

import pytest
from typer.testing import CliRunner

from commands.clients import AddDecisionMaker, OnboardClient
from commands.personal_data import ERASED
from commands.results import Actor
from runtime.cli import app
from runtime.services import Services
from runtime.tenants import TenantStore
from tests.integration.test_cli_boundary import refused

pytestmark = pytest.mark.integration


@pytest.fixture
def msp(services: Services) -> str:
    name = f"msp-{uuid.uuid4().hex[:8]}"
    TenantStore(services.pool).create(name)
    return name


def client_with_person(services: Services, tenant: str) -> tuple[UUID, UUID, str]:
    admin = Actor(tenant, "ada.admin", "admin")
    client_id = services.bus.handle(OnboardClient(
        name="Harbour Dental", mrr=Decimal("3000"), user_count=20, complexity=4, industry="dental",
        vcio="vera.vcio", tam="tom.tam"), admin).aggregate_id
    added = services.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner"), admin)
    assert added.created_id is not None
    client = services.ledger.load_client(admin, client_id)
    sealed = next(e.sealed_name for e in services.ledger.repository.event_store.get(client_id)
                  if isinstance(e, client.DecisionMakerAdded))
    return client_id, added.created_id, sealed


def test_erase_destroys_the_persons_key(vcio: CliRunner, services: Services, msp: str) -> None:
    client_id, person, sealed = client_with_person(services, msp)

    result = vcio.invoke(app, ["people", "erase", "--tenant", msp, "--client", str(client_id),
                               "--person", str(person), "--reason", "request 42"])

    assert result.exit_code == 0, result.output
    assert services.vault.unseal(person, sealed) == ERASED


def test_erasing_someone_the_client_never_had_is_refused_in_one_line(
        vcio: CliRunner, services: Services, msp: str) -> None:
    client_id, _, _ = client_with_person(services, msp)

    result = vcio.invoke(app, ["people", "erase", "--tenant", msp, "--client", str(client_id),
                               "--person", str(uuid.uuid4()), "--reason", "request 42"])

    refused(result, "decision_maker_id")


def test_erasing_in_an_unknown_tenant_is_refused(vcio: CliRunner, services: Services, msp: str) -> None:
    client_id, person, sealed = client_with_person(services, msp)

    result = vcio.invoke(app, ["people", "erase", "--tenant", "no-such-msp", "--client", str(client_id),
                               "--person", str(person), "--reason", "request 42"])

    refused(result, "no-such-msp")
    assert services.vault.unseal(person, sealed) == "Dana Owner"
