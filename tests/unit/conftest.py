"""Unit fixtures: a scenario on the in-memory ledger, one fresh tenant per test."""

import time
from collections.abc import Iterator

import pytest

from commands.bus import CommandBus
from commands.ledger import Ledger
from runtime.personal_vault import InMemoryVault
from tests.unit.scenario import Scenario


@pytest.fixture
def scenario(memory_ledger: Ledger, memory_vault: InMemoryVault, tenant: str) -> Scenario:
    return Scenario(CommandBus(memory_ledger, memory_vault), tenant)


@pytest.fixture
def server_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local timezone is New York's (UTC-5/-4), for code that must not depend on it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
