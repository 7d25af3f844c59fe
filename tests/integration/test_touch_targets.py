"""The touch target of the touch-cadence and vCIO-dashboard read models follows the cadence the
client is planned with: its override, else its latest meeting plan (made with the MSP's own
rules), else the default of one touch a month (two for a complex client)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from aggregates.cadence_rules import CadenceRule, PlanningRules
from commands.cadence import (
    ClearClientCadenceOverride,
    OverrideClientCadence,
)
from projections.fiscal import Period
from projections.touch_cadence import TouchCadenceProjection
from projections.vcio_dashboard import VcioDashboardProjection
from schedulers.jobs import plan_year
from schedulers.store import SchedulerStore
from tests.integration.conftest import live_rows, private_name
from tests.integration.strategy_scenario import Strategy

pytestmark = pytest.mark.integration

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 4, 1))
DECEMBER_RUN = datetime(2024, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def strategy(services: Any, tenant: str) -> Strategy:
    return Strategy(services, tenant)


def touched_monthly(strategy: Strategy, name: str) -> UUID:
    """A client of ordinary complexity touched by its decision maker once in each month of
    the first quarter of 2025."""
    client = strategy.client(name, complexity=5)
    boss = strategy.decision_maker(client)
    for day in (date(2025, 1, 10), date(2025, 2, 10), date(2025, 3, 10)):
        strategy.touch(client, day, boss)
    return client


def override(strategy: Strategy, client: UUID, touches_per_month: int) -> None:
    strategy.bus.handle(OverrideClientCadence(
        client_id=client, meetings_per_year=12, touches_per_month=touches_per_month,
        reason="merger: weekly contact until it closes"), strategy.actor())


def clear_override(strategy: Strategy, client: UUID) -> None:
    strategy.bus.handle(ClearClientCadenceOverride(
        client_id=client, reason="merger closed"), strategy.actor())


def plan_with_rules(services: Any, strategy: Strategy, year: int, touches_per_month: int) -> None:
    """Store MSP rules giving every client ``touches_per_month``, then plan ``year`` with them."""
    SchedulerStore(services.pool).save_rules(strategy.tenant, PlanningRules(cadence_rules=[
        CadenceRule(name="everyone", meetings_per_year=4, touches_per_month=touches_per_month)]),
        by="ada.admin")
    services.catch_up()  # the scheduler lists the clients from the client directory
    plan_year(services, year, DECEMBER_RUN, tenant=strategy.tenant)


def quarter_cadence(services: Any, strategy: Strategy) -> list[tuple[str, int, int, int, bool]]:
    services.catch_up()
    return [(c.client_name, c.target_per_month, c.touches, c.shortfall, c.behind)
            for c in services.touch_cadence.cadence(strategy.tenant, date(2025, 1, 1), months=3)]


def dashboard_target(services: Any, strategy: Strategy) -> tuple[int, Decimal]:
    services.catch_up()
    msp = services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, date(2025, 3, 15)).msp
    return msp.counts.touch_target_per_month, msp.touch_target


def test_an_override_raises_the_touch_target_and_puts_the_client_first_as_behind_cadence(
        services: Any, strategy: Strategy) -> None:
    touched_monthly(strategy, "Alpha Co")
    beta = touched_monthly(strategy, "Beta Co")
    before = quarter_cadence(services, strategy)

    override(strategy, beta, touches_per_month=3)

    assert before == [("Alpha Co", 1, 3, 0, False), ("Beta Co", 1, 3, 0, False)]
    assert quarter_cadence(services, strategy) == [
        ("Beta Co", 3, 3, 6, True), ("Alpha Co", 1, 3, 0, False)]


def test_the_dashboard_touch_target_counts_the_override(
        services: Any, strategy: Strategy) -> None:
    touched_monthly(strategy, "Alpha Co")
    beta = touched_monthly(strategy, "Beta Co")

    override(strategy, beta, touches_per_month=3)

    assert dashboard_target(services, strategy) == (4, Decimal("12.00"))


def test_a_plan_made_with_the_msps_own_rules_sets_the_touch_target_of_both_read_models(
        services: Any, strategy: Strategy) -> None:
    touched_monthly(strategy, "Planned Co")

    plan_with_rules(services, strategy, 2025, touches_per_month=2)
    touched_monthly(strategy, "Unplanned Co")

    assert quarter_cadence(services, strategy) == [
        ("Planned Co", 2, 3, 3, True), ("Unplanned Co", 1, 3, 0, False)]
    assert dashboard_target(services, strategy) == (3, Decimal("9.00"))


def test_clearing_the_override_brings_back_the_touches_of_the_latest_plan(
        services: Any, strategy: Strategy) -> None:
    client = touched_monthly(strategy, "Merger Co")
    plan_with_rules(services, strategy, 2025, touches_per_month=2)
    override(strategy, client, touches_per_month=4)
    overridden = quarter_cadence(services, strategy)

    clear_override(strategy, client)

    assert overridden == [("Merger Co", 4, 3, 9, True)]
    assert quarter_cadence(services, strategy) == [("Merger Co", 2, 3, 3, True)]


def test_the_plan_of_the_latest_year_sets_the_target_whatever_order_the_plans_came_in(
        services: Any, strategy: Strategy) -> None:
    touched_monthly(strategy, "Catch-up Co")
    plan_with_rules(services, strategy, 2026, touches_per_month=2)

    plan_with_rules(services, strategy, 2025, touches_per_month=5)

    assert quarter_cadence(services, strategy) == [("Catch-up Co", 2, 3, 3, True)]


@pytest.mark.parametrize("kind", [TouchCadenceProjection, VcioDashboardProjection],
                         ids=lambda kind: kind.name)
def test_rebuilding_gives_the_cadence_rows_built_incrementally_through_plans_and_overrides(
        services: Any, strategy: Strategy, private_projectors: Any, kind: type) -> None:
    private = type(f"Private{kind.__name__}", (kind,), {"name": private_name(kind.name)})()
    projector = private_projectors(private, batch_size=7)
    client = touched_monthly(strategy, "History Co")
    other = touched_monthly(strategy, "Other Co")
    projector.catch_up()
    plan_with_rules(services, strategy, 2025, touches_per_month=2)
    projector.catch_up()
    override(strategy, client, touches_per_month=4)
    override(strategy, other, touches_per_month=3)
    projector.catch_up()
    clear_override(strategy, client)
    plan_with_rules(services, strategy, 2026, touches_per_month=3)
    projector.catch_up()
    incremental = live_rows(services.database.conninfo, private.name)

    projector.rebuild()

    assert live_rows(services.database.conninfo, private.name) == incremental
    assert {row[0]: row[2:] for row in incremental["client_cadence"] if row[1] == strategy.tenant} == {
        client: (2026, 3, None), other: (2026, 3, 3)}
    assert services.reader.dead_letters(private.name) == []
