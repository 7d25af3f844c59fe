"""An offboarded client leaves the counts, targets, overdue lists and future plans of the read
models and the scheduler, keeps its history and as-of view, and comes back when re-onboarded."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.clients import OffboardClient, ReonboardClient
from events.vocabulary import Answer
from projections.fiscal import Period
from schedulers.jobs import plan_year
from tests.integration.strategy_scenario import Strategy
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 4, 1))
MID_MARCH = date(2025, 3, 15)


@pytest.fixture
def strategy(services: Any, tenant: str) -> Strategy:
    return Strategy(services, tenant)


def offboard(strategy: Strategy, client: UUID, effective_on: date = date(2025, 2, 1)) -> None:
    strategy.bus.handle(OffboardClient(client_id=client, effective_on=effective_on,
                                       reason="acquired by a larger group"), strategy.actor())


def reonboard(strategy: Strategy, client: UUID) -> None:
    strategy.bus.handle(ReonboardClient(client_id=client, reason="new owners came back"),
                        strategy.actor())


def dashboard_msp(services: Any, strategy: Strategy) -> Any:
    services.catch_up()
    return services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, MID_MARCH).msp


def test_offboarding_removes_the_client_from_the_dashboard_counts_and_adds_it_to_turnover(
        services: Any, strategy: Strategy) -> None:
    strategy.client("Stays Co", mrr="3000")
    leaving = strategy.client("Leaves Co", mrr="5000")

    offboard(strategy, leaving)

    counts = dashboard_msp(services, strategy).counts
    assert (counts.clients, counts.mrr, counts.clients_lost, counts.mrr_lost) == (
        1, Decimal("3000"), 1, Decimal("5000"))


def test_offboarding_cancels_the_clients_future_meetings_on_the_dashboard(
        services: Any, strategy: Strategy) -> None:
    leaving = strategy.client("Leaves Co")
    strategy.meeting(leaving, date(2025, 5, 15))
    strategy.meeting(leaving, date(2025, 8, 15))

    offboard(strategy, leaving, effective_on=date(2025, 3, 1))

    services.catch_up()
    calendar = services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, MID_MARCH)
    client = services.ledger.load_client(strategy.actor(), leaving)
    assert calendar.msp.counts.meetings_scheduled_next_12_months == 0
    assert {m.status.value for m in client.meetings.values()} == {"cancelled"}


def test_a_client_back_after_its_offboarding_took_effect_counts_again_and_stays_in_that_turnover(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Returns Co", mrr="4000")
    offboard(strategy, client, effective_on=date(2025, 2, 1))  # recorded today, long after

    reonboard(strategy, client)

    counts = dashboard_msp(services, strategy).counts
    assert (counts.clients, counts.mrr, counts.clients_lost, counts.mrr_lost) == (
        1, Decimal("4000"), 1, Decimal("4000"))


def test_an_offboarding_reversed_before_it_took_effect_is_no_loss(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Stays After All Co", mrr="4000")
    leaves_on = datetime.now(UTC).date() + timedelta(days=40)
    offboard(strategy, client, effective_on=leaves_on)

    reonboard(strategy, client)

    services.catch_up()
    period = Period(leaves_on.replace(day=1), leaves_on.replace(day=1) + timedelta(days=62))
    counts = services.vcio_dashboard.dashboard(strategy.tenant, period, leaves_on).msp.counts
    assert (counts.clients, counts.clients_lost) == (1, 0)


def test_an_offboarding_effective_after_today_still_counts_the_client_today(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaving Later Co")

    offboard(strategy, client, effective_on=date(2025, 6, 1))

    assert dashboard_msp(services, strategy).counts.clients == 1


def test_an_offboarded_client_has_no_touch_target_and_no_overdue_action_items(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Co", complexity=9)
    strategy.action_item(client, follow_up_on=date(2025, 1, 20))

    offboard(strategy, client, effective_on=date(2025, 1, 1))

    msp = dashboard_msp(services, strategy)
    cadence = services.touch_cadence.cadence(strategy.tenant, date(2025, 1, 1), months=3)
    assert (msp.counts.touch_target_per_month, msp.counts.overdue_action_items) == (0, 0)
    assert [c.client_id for c in cadence] == []


def test_a_client_offboarded_mid_window_has_no_touch_target_from_its_offboarding(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Co", complexity=5)

    offboard(strategy, client, effective_on=date(2025, 2, 1))

    services.catch_up()
    found = services.touch_cadence.client_cadence(strategy.tenant, client, date(2025, 1, 1), 3)
    assert [m.target for m in found.months] == [1, 0, 0]


def test_the_client_directory_lists_an_offboarded_client_only_when_asked(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Co")

    offboard(strategy, client)

    services.catch_up()
    directory = services.client_directory
    everyone = directory.clients(strategy.tenant, include_offboarded=True)
    assert directory.clients(strategy.tenant) == []
    assert [(c.client_id, c.offboarded_on) for c in everyone] == [(client, date(2025, 2, 1))]


def test_the_annual_scheduler_does_not_plan_an_offboarded_client(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Leaves Co")
    offboard(strategy, client)
    services.catch_up()

    plan = plan_year(services, 2026, datetime(2025, 12, 1, 6, tzinfo=UTC), client=client)

    assert [p.outcome for p in plan.clients] == ["offboarded"]
    assert not services.ledger.load_client(strategy.actor(), client).has_meeting_plan(2026)


def test_an_offboarded_client_keeps_its_as_of_alignment(services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.completed_review(client, {standard: Answer.YES})

    scenario.bus.handle(OffboardClient(client_id=client, effective_on=scenario.tick().date(),
                                       reason="closed down"), scenario.vcio, scenario.tick())

    services.catch_up()
    alignment = services.as_of.alignment(scenario.tenant, client, datetime.now(UTC))
    assert (alignment.review_id, alignment.score) == (review, Decimal("100.00"))


def test_re_onboarding_puts_the_meetings_still_ahead_back_on_the_dashboard(
        services: Any, strategy: Strategy) -> None:
    returning = strategy.client("Returns Co")
    strategy.meeting(returning, date(2025, 5, 15))
    strategy.meeting(returning, date(2025, 8, 15))
    offboard(strategy, returning, effective_on=date(2025, 3, 1))

    strategy.bus.handle(ReonboardClient(client_id=returning, reason="new owners came back"),
                        strategy.actor(), datetime(2025, 6, 1, tzinfo=UTC))

    services.catch_up()
    calendar = services.vcio_dashboard.dashboard(strategy.tenant, FIRST_QUARTER, MID_MARCH)
    assert calendar.msp.counts.meetings_scheduled_next_12_months == 1
