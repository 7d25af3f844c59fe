"""The vCIO dashboard's day buckets (``projections.vcio_dashboard_days``) kept as events arrive:
counts follow a reassignment and an offboarding recorded after them, a touch counts on its own
day, and the period's edges are UTC days."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from commands.clients import ChangeClientProfile, OffboardClient
from commands.touches import LogTouch
from events.vocabulary import TouchKind
from projections.catalog import CATALOG_SCHEMA, generation_schema
from projections.fiscal import Period
from projections.vcio_dashboard import VcioDashboardProjection
from projections.vcio_dashboard_figures import Dashboard, VcioMetrics
from tests.integration.conftest import live_rows, private_name
from tests.integration.strategy_scenario import Strategy

pytestmark = pytest.mark.integration

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 4, 1))
SECOND_QUARTER = Period(date(2025, 4, 1), date(2025, 7, 1))


@pytest.fixture
def strategy(services: Any, tenant: str) -> Strategy:
    return Strategy(services, tenant)


def reassign(strategy: Strategy, client: UUID, effective_on: date, vcio: str) -> None:
    strategy.bus.handle(ChangeClientProfile(client_id=client, changes={"vcio": vcio},
                                            effective_on=effective_on), strategy.actor())


def offboard(strategy: Strategy, client: UUID, effective_on: date) -> None:
    strategy.bus.handle(OffboardClient(client_id=client, effective_on=effective_on,
                                       reason="acquired"), strategy.actor())


def touch_at(strategy: Strategy, client: UUID, boss: UUID, happened_at: datetime) -> None:
    strategy.bus.handle(LogTouch(client_id=client, kind=TouchKind.CALL, decision_maker_id=boss,
                                 contact_role="", happened_at=happened_at),
                        strategy.actor(), happened_at)


def dashboard(services: Any, strategy: Strategy, period: Period = FIRST_QUARTER,
              today: date = date(2025, 3, 15), vcio: str | None = None) -> Dashboard:
    services.catch_up()
    return services.vcio_dashboard.dashboard(strategy.tenant, period, today, vcio)


def column(found: Dashboard, vcio: str) -> VcioMetrics:
    return next(m for m in found.vcios if m.vcio == vcio)


def test_a_reassignment_recorded_after_the_work_moves_only_the_days_from_its_effective_day(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Moves Later Co")
    boss = strategy.decision_maker(client)
    strategy.touch(client, date(2025, 1, 22), boss)
    strategy.hold(client, strategy.meeting(client, date(2025, 2, 10)), date(2025, 2, 10))
    dashboard(services, strategy)  # the counts are in vera's buckets before the reassignment

    reassign(strategy, client, date(2025, 2, 1), "vic.vcio")
    found = dashboard(services, strategy)

    vera, vic = column(found, "vera.vcio"), column(found, "vic.vcio")
    assert (vera.counts.clients, vera.counts.touches, vera.counts.meetings_held) == (0, 1, 0)
    assert (vic.counts.clients, vic.counts.touches, vic.counts.meetings_held) == (1, 0, 1)


def test_a_reassignment_moves_the_clients_overdue_items_and_meetings_ahead_to_the_new_vcio(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Hands Over Co")
    strategy.action_item(client, date(2025, 3, 1))
    strategy.meeting(client, date(2025, 5, 1))
    dashboard(services, strategy)

    reassign(strategy, client, date(2025, 3, 10), "vic.vcio")
    found = dashboard(services, strategy)

    vic = column(found, "vic.vcio")
    assert (vic.counts.overdue_action_items, vic.counts.meetings_scheduled_next_12_months) == (1, 1)
    assert [m.vcio for m in found.vcios] == ["vic.vcio"]


def test_asking_for_the_former_vcio_leaves_out_the_work_on_a_client_it_no_longer_has(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Former Co")
    strategy.touch(client, date(2025, 1, 22), strategy.decision_maker(client))
    dashboard(services, strategy)
    reassign(strategy, client, date(2025, 2, 1), "vic.vcio")

    found = dashboard(services, strategy, vcio="vera.vcio")

    assert (found.msp.counts.clients, found.msp.counts.touches) == (0, 0)


def test_an_offboarding_recorded_after_the_work_takes_the_client_out_from_its_effective_day(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Later Co")
    strategy.touch(client, date(2025, 1, 22), strategy.decision_maker(client))
    strategy.action_item(client, date(2025, 2, 1))
    dashboard(services, strategy)

    offboard(strategy, client, date(2025, 3, 1))
    after = dashboard(services, strategy, today=date(2025, 3, 15))
    before = dashboard(services, strategy, today=date(2025, 2, 15))

    assert (after.msp.counts.touches, after.msp.counts.overdue_action_items) == (0, 0)
    assert (before.msp.counts.touches, before.msp.counts.overdue_action_items) == (1, 1)


def test_a_touch_counts_in_the_period_of_its_own_day_whenever_it_was_logged(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Early Co")
    touch_at(strategy, client, strategy.decision_maker(client), datetime(2025, 4, 2, 10, tzinfo=UTC))

    first = dashboard(services, strategy, FIRST_QUARTER)
    second = dashboard(services, strategy, SECOND_QUARTER)

    assert (first.msp.counts.touches, second.msp.counts.touches) == (0, 1)


def test_the_period_holds_its_first_utc_day_and_its_last_to_midnight_but_not_the_end_day(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Edges Co")
    boss = strategy.decision_maker(client)
    for moment in (datetime(2024, 12, 31, 23, 59, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC),
                   datetime(2025, 3, 31, 23, 59, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)):
        touch_at(strategy, client, boss, moment)

    found = dashboard(services, strategy)

    assert found.msp.counts.touches == 2


def test_meetings_ahead_count_from_today_for_twelve_months_to_the_day(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Plans Co")
    for day in (date(2025, 3, 14), date(2025, 3, 15), date(2026, 3, 14), date(2026, 3, 15)):
        strategy.meeting(client, day)

    found = dashboard(services, strategy, today=date(2025, 3, 15))

    assert found.msp.counts.meetings_scheduled_next_12_months == 2


def test_buckets_kept_event_by_event_through_moves_equal_a_rebuild_and_keep_no_empty_bucket(
        services: Any, strategy: Strategy, private_projectors: Any) -> None:
    private = type("PrivateDays", (VcioDashboardProjection,),
                   {"name": private_name("vcio_dashboard")})()
    projector = private_projectors(private, batch_size=1)
    client = strategy.client("Round Trip Co")
    boss = strategy.decision_maker(client)
    strategy.touch(client, date(2025, 1, 22), boss)
    projector.catch_up()
    reassign(strategy, client, date(2025, 1, 1), "vic.vcio")
    projector.catch_up()
    offboard(strategy, client, date(2025, 3, 1))
    projector.catch_up()
    incremental = live_rows(services.database.conninfo, private.name)

    projector.rebuild()

    assert live_rows(services.database.conninfo, private.name) == incremental
    assert [(r[1], r[2], r[4]) for r in incremental["vcio_days"] if r[0] == strategy.tenant] == [
        ("vic.vcio", "vic.vcio", date(2025, 3, 1))]


def test_the_dashboard_reads_the_buckets_not_the_touches(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Proof Co")
    strategy.touch(client, date(2025, 1, 22), strategy.decision_maker(client))
    services.catch_up()
    with psycopg.connect(services.database.conninfo, autocommit=True) as conn:
        generation = conn.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (VcioDashboardProjection.name,)).fetchone()[0]
        conn.execute(SQL("DELETE FROM {}.touches WHERE tenant = %s").format(Identifier(
            generation_schema(VcioDashboardProjection.name, generation))), (strategy.tenant,))

    found = services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, date(2025, 3, 15))

    assert found.msp.counts.touches == 1


def test_mrr_over_the_period_adds_a_steady_client_to_one_whose_mrr_changed_inside_it(
        services: Any, strategy: Strategy) -> None:
    strategy.client("Steady Co", mrr="1000")
    grows = strategy.client("Grows Co", mrr="3000")
    strategy.bus.handle(ChangeClientProfile(client_id=grows, changes={"mrr": "6000.00"},
                                            effective_on=date(2025, 2, 15)), strategy.actor())

    vera = column(dashboard(services, strategy), "vera.vcio")

    # Steady: 3 x 1,000; Grows: January 3,000, February 1,500 + 3,000, March 6,000.
    assert vera.mrr_over_period == Decimal("16500.00")


def test_an_mrr_change_dated_after_the_period_leaves_the_period_at_the_former_mrr(
        services: Any, strategy: Strategy) -> None:
    later = strategy.client("Later Co", mrr="2000")
    strategy.bus.handle(ChangeClientProfile(client_id=later, changes={"mrr": "9000.00"},
                                            effective_on=date(2025, 5, 1)), strategy.actor())

    vera = column(dashboard(services, strategy), "vera.vcio")

    assert (vera.counts.mrr, vera.mrr_over_period) == (Decimal("9000.00"), Decimal("6000.00"))
