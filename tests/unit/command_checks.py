"""Checks every aggregate command shares, for the command tests: the events a command recorded,
a stale ``expected_version`` refused as a conflict, and a resend under the same idempotency key
replayed without recording anything more."""

from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from aggregates.errors import ConflictError
from commands.base import Command
from commands.results import Actor
from tests.unit.scenario import Scenario


def recorded(scenario: Scenario, aggregate_id: UUID, kind: type) -> list[Any]:
    """The events of ``kind`` stored for the aggregate, oldest first."""
    return [e for e in scenario.ledger.repository.event_store.get(aggregate_id) if isinstance(e, kind)]


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def version(scenario: Scenario, aggregate_id: UUID) -> int:
    return int(scenario.ledger.repository.get(aggregate_id).version)


def refused_as_stale(scenario: Scenario, command: Command, now: datetime) -> ConflictError:
    with pytest.raises(ConflictError) as refused:
        scenario.bus.handle(command, admin(scenario), now)
    return refused.value


def replayed_without_recording(scenario: Scenario, command: Command, now: datetime) -> bool:
    """Send ``command`` twice under one key: is the second answer the first one, replayed, with
    nothing more recorded?"""
    first = scenario.bus.handle(command, admin(scenario), now, "once")
    head = scenario.ledger.recorder.max_notification_id()
    again = scenario.bus.handle(command, admin(scenario), now, "once")
    return ((again.aggregate_id, again.version, again.created_id, again.replayed)
            == (first.aggregate_id, first.version, first.created_id, True)
            and scenario.ledger.recorder.max_notification_id() == head)
