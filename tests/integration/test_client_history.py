"""Dated client facts on the vCIO dashboard: the MRR of the period, the vCIO of the day, and the
MRR a client took with it when it left."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.clients import ChangeClientProfile, OffboardClient
from projections.fiscal import Period
from projections.vcio_dashboard_figures import Dashboard, VcioMetrics
from tests.integration.strategy_scenario import Strategy

pytestmark = pytest.mark.integration

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 4, 1))
MID_MARCH = date(2025, 3, 15)


@pytest.fixture
def strategy(services: Any, tenant: str) -> Strategy:
    return Strategy(services, tenant)


def change(strategy: Strategy, client: UUID, effective_on: date, **changes: str) -> None:
    strategy.bus.handle(ChangeClientProfile(client_id=client, changes=changes,
                                            effective_on=effective_on), strategy.actor())


def dashboard(services: Any, strategy: Strategy) -> Dashboard:
    services.catch_up()
    return services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, MID_MARCH)


def column(found: Dashboard, vcio: str) -> VcioMetrics:
    return next(m for m in found.vcios if m.vcio == vcio)


def test_nrr_share_over_a_period_spanning_an_mrr_change_uses_both_values(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Grows Co", mrr="3000")
    boss = strategy.decision_maker(client)
    project = strategy.propose(client, "Firewall", one_time="2700", quarter=date(2025, 4, 1))
    strategy.approve(client, project, boss, date(2025, 2, 1))
    change(strategy, client, date(2025, 2, 15), mrr="6000.00")

    msp = dashboard(services, strategy).msp

    # January 3,000; February half at 3,000 (1,500) and half at 6,000 (3,000); March 6,000.
    assert msp.mrr_over_period == Decimal("13500.00")
    assert msp.nrr_share == Decimal("20.0")


def test_reassigning_a_client_keeps_its_past_meetings_and_touches_with_the_former_vcio(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Moves Co")
    boss = strategy.decision_maker(client)
    strategy.hold(client, strategy.meeting(client, date(2025, 1, 20)), date(2025, 1, 20))
    strategy.touch(client, date(2025, 1, 22), boss)
    change(strategy, client, date(2025, 2, 1), vcio="vic.vcio")
    strategy.hold(client, strategy.meeting(client, date(2025, 3, 3)), date(2025, 3, 3))

    found = dashboard(services, strategy)

    vera, vic = column(found, "vera.vcio"), column(found, "vic.vcio")
    assert (vera.counts.clients, vera.counts.meetings_held, vera.counts.touches) == (0, 1, 1)
    assert (vic.counts.clients, vic.counts.meetings_held, vic.counts.touches) == (1, 1, 0)
    assert (found.msp.counts.meetings_held, found.msp.counts.touches) == (2, 1)


def test_a_client_lost_is_counted_for_its_vcio_at_the_mrr_it_had_when_it_left(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Co", mrr="5000")
    strategy.bus.handle(OffboardClient(client_id=client, effective_on=date(2025, 2, 1),
                                       reason="acquired"), strategy.actor())
    change(strategy, client, date(2025, 3, 1), mrr="1000.00", vcio="vic.vcio")

    vera = column(dashboard(services, strategy), "vera.vcio")

    assert (vera.counts.clients_lost, vera.counts.mrr_lost) == (1, Decimal("5000"))
