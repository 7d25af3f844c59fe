"""An event recorded with NUL in its text (before commands refused it) keeps loading, and the
read models that copy the text keep running: the NUL reads as U+FFFD."""

import uuid
from decimal import Decimal
from typing import Any

import pytest

from aggregates.client import Client
from commands.results import Actor

pytestmark = pytest.mark.integration


def a_client_recorded_with_nul_in_its_name(services: Any, tenant: str) -> uuid.UUID:
    client = Client.create_with_id(
        uuid.uuid4(), tenant=tenant, name="Acme\x00Dental", mrr=Decimal("3000.00"), user_count=24,
        complexity=5, industry="dental", fiscal_year_start_month=1, vcio="vera.vcio", tam="tom.tam",
        by="old.importer")
    services.ledger.save(client)
    return client.id


def test_a_client_recorded_with_nul_loads_with_the_replacement_character(
        services: Any, tenant: str, admin: Actor) -> None:
    client_id = a_client_recorded_with_nul_in_its_name(services, tenant)

    loaded = services.ledger.load_client(admin, client_id)

    assert loaded.name == "Acme\ufffdDental"


def test_the_client_directory_lists_a_client_recorded_with_nul(services: Any, tenant: str) -> None:
    client_id = a_client_recorded_with_nul_in_its_name(services, tenant)

    services.catch_up()

    found = services.client_directory.client(tenant, client_id)
    assert found is not None and found.name == "Acme\ufffdDental"
    assert services.reader.dead_letters("client_directory") == []
