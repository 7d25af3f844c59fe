"""A stored version-1 ``ClientProfileChanged`` (before changes were dated) keeps loading: it
holds from the day it was recorded (``effective_on`` None)."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from aggregates.client import Client
from commands.clients import ChangeClientProfile
from commands.ledger import Ledger
from tests.unit.scenario import START, Scenario

V1_PAYLOAD = Path(__file__).parents[1] / "data" / "client_profile_changed_v1.json"
TOPIC = "aggregates.client:Client.ClientProfileChanged"


@pytest.fixture
def client_with_v1_change(memory_ledger: Ledger) -> UUID:
    client = Client(tenant="msp-v1-fixture", name="Client A", mrr=Decimal("3000.00"), user_count=24,
                    complexity=5, industry="legal", fiscal_year_start_month=1, vcio="vera.vcio",
                    tam="tom.tam", by="vera.vcio")
    memory_ledger.save(client)
    memory_ledger.recorder.insert_events(
        [StoredEvent(client.id, client.version + 1, TOPIC, V1_PAYLOAD.read_bytes().strip())])
    return client.id


def test_the_fixture_is_a_version_1_payload_without_a_day(memory_ledger: Ledger) -> None:
    state = memory_ledger.mapper.transcoder.decode(V1_PAYLOAD.read_bytes().strip())

    assert "effective_on" not in state and "class_version" not in state


def test_a_version_1_profile_change_loads_undated_and_still_changes_the_profile(
        memory_ledger: Ledger, client_with_v1_change: UUID) -> None:
    stored = memory_ledger.recorder.select_events(client_with_v1_change, gt=1)[0]

    change = memory_ledger.mapper.to_domain_event(stored)
    client = memory_ledger.repository.get(client_with_v1_change)

    assert (change.effective_on, change.changes, client.mrr) == (None, {"mrr": "4500.00"}, Decimal("4500.00"))


def test_a_profile_change_without_a_day_is_dated_the_day_it_is_recorded(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(ChangeClientProfile(client_id=client_id, changes={"mrr": "4000.00"}),
                        scenario.vcio, START)

    last = list(scenario.ledger.events.get(client_id))[-1]
    assert last.effective_on == START.date()


def test_a_profile_change_keeps_the_day_it_names(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(ChangeClientProfile(client_id=client_id, changes={"vcio": "vic.vcio"},
                                            effective_on=date(2025, 2, 1)), scenario.vcio, START)

    last = list(scenario.ledger.events.get(client_id))[-1]
    assert last.effective_on == date(2025, 2, 1)
