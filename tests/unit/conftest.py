"""Unit fixtures: a scenario on the in-memory ledger, one fresh tenant per test."""

import pytest

from commands.bus import CommandBus
from commands.ledger import Ledger
from runtime.personal_vault import InMemoryVault
from tests.unit.scenario import Scenario


@pytest.fixture
def scenario(memory_ledger: Ledger, memory_vault: InMemoryVault, tenant: str) -> Scenario:
    return Scenario(CommandBus(memory_ledger, memory_vault), tenant)
