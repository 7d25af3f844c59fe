"""Unit fixtures: a scenario on the in-memory ledger, one fresh tenant per test."""

import pytest

from commands.ledger import Ledger
from tests.unit.scenario import Scenario


@pytest.fixture
def scenario(memory_ledger: Ledger, tenant: str) -> Scenario:
    return Scenario(memory_ledger, tenant)
