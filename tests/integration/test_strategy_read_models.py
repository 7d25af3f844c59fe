"""What the strategy read models (roadmap, budget, meeting calendar, touch cadence, vCIO
dashboard, QBR pack) show, arranged through the command handlers and read back from PostgreSQL."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from commands.standards import ReviseStandard
from events.vocabulary import Answer, ExpectedAnswer, Priority, ReviewFrequency
from projections.budget import BudgetProjection
from projections.fiscal import Period
from projections.meeting_calendar import MeetingCalendarProjection
from projections.roadmap import RoadmapProjection
from projections.touch_cadence import TouchCadenceProjection
from projections.vcio_dashboard import VcioDashboardProjection
from projections.vcio_dashboard_figures import AreaCursor
from tests.integration.conftest import live_rows, private_name
from tests.integration.strategy_scenario import Strategy
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def strategy(services: Any, tenant: str) -> Strategy:
    return Strategy(services, tenant)


def money(text: str) -> Decimal:
    return Decimal(text)


def test_budget_totals_fall_into_the_clients_fiscal_quarters_when_the_year_starts_in_april(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("April Co", fiscal_year_start_month=4)
    boss = strategy.decision_maker(client)
    spring = strategy.propose(client, "New switches", one_time="500", quarter=date(2025, 4, 1))
    summer = strategy.propose(client, "Firewall", one_time="1000", quarter=date(2025, 7, 1))
    strategy.propose(client, "Backup service", one_time="2000", recurring="100",
                     quarter=date(2025, 10, 1))
    declined = strategy.propose(client, "Wi-Fi", one_time="9999", quarter=date(2025, 7, 1))
    strategy.approve(client, spring, boss, date(2025, 4, 10))
    strategy.approve(client, summer, boss, date(2025, 4, 10))
    strategy.decline(client, declined, boss)
    services.catch_up()

    budget = services.budget.client_budget(strategy.tenant, client, date(2025, 5, 15))

    assert [(q.label, q.start) for q in budget.quarters] == [
        ("FY2026 Q1", date(2025, 4, 1)), ("FY2026 Q2", date(2025, 7, 1)),
        ("FY2026 Q3", date(2025, 10, 1)), ("FY2026 Q4", date(2026, 1, 1))]
    assert [(q.approved_one_time, q.proposed_one_time, q.proposed_recurring)
            for q in budget.quarters] == [
        (money("500"), 0, 0), (money("1000"), 0, 0), (0, money("2000"), money("300")),
        (0, 0, money("300"))]
    assert (budget.total.approved_total, budget.total.proposed_total) == (
        money("1500"), money("2600"))


def test_recurring_costs_count_every_month_from_the_target_quarter_on_roadmap_and_budget(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Recurring Co")
    boss = strategy.decision_maker(client)
    backup = strategy.propose(client, "Cloud backup", one_time="1200", recurring="250",
                              quarter=date(2025, 4, 1))
    strategy.approve(client, backup, boss, date(2025, 2, 1))
    services.catch_up()

    roadmap = services.roadmap.roadmap(strategy.tenant, client, date(2025, 2, 10))
    budget = services.budget.msp_budget(strategy.tenant, date(2025, 1, 1), months=12)

    assert [(q.label, q.one_time, q.recurring) for q in roadmap.quarters] == [
        ("FY2025 Q1", 0, 0), ("FY2025 Q2", money("1200"), money("750")),
        ("FY2025 Q3", 0, money("750")), ("FY2025 Q4", 0, money("750"))]
    assert [(m.month.month, m.one_time, m.recurring) for m in roadmap.months][2:5] == [
        (3, 0, 0), (4, money("1200"), money("250")), (5, 0, money("250"))]
    assert (budget.total.approved_one_time, budget.total.approved_recurring) == (
        money("1200"), money("2250"))
    assert [line.approved_recurring for line in budget.quarters] == [
        0, money("750"), money("750"), money("750")]


def test_the_roadmap_lists_unscheduled_items_apart_and_filters_by_status(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Filter Co")
    boss = strategy.decision_maker(client)
    approved = strategy.propose(client, "Firewall", one_time="1000", quarter=date(2025, 4, 1))
    strategy.propose(client, "Someday", one_time="300")
    strategy.propose(client, "Far away", one_time="700", quarter=date(2027, 1, 1))
    strategy.approve(client, approved, boss, date(2025, 2, 1))
    services.catch_up()

    everything = services.roadmap.roadmap(strategy.tenant, client, date(2025, 2, 10))
    only_approved = services.roadmap.roadmap(strategy.tenant, client, date(2025, 2, 10),
                                             statuses=["approved"])

    assert [i.title for i in everything.unscheduled] == ["Someday"]
    assert [i.title for i in everything.later] == ["Far away"]
    assert [i.title for q in only_approved.quarters for i in q.items] == ["Firewall"]
    assert only_approved.unscheduled == [] and only_approved.later == []


def test_a_finding_shows_resolved_once_a_later_completed_review_finds_it_aligned(
        services: Any, scenario: Scenario, strategy: Strategy) -> None:
    standard = scenario.standard(category="firewalls", priority=Priority.HIGH,
                                 expected=ExpectedAnswer.YES)
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    fix = strategy.propose(client, "Replace firewall", one_time="800", findings=[standard],
                           quarter=date(2025, 4, 1))
    services.catch_up()
    before = services.roadmap.roadmap(scenario.tenant, client, date(2025, 2, 10))
    later_review = scenario.completed_review(client, {standard: Answer.YES})
    services.catch_up()

    after = services.roadmap.roadmap(scenario.tenant, client, date(2025, 2, 10))

    item_before = next(i for q in before.quarters for i in q.items if i.recommendation_id == fix)
    item_after = next(i for q in after.quarters for i in q.items if i.recommendation_id == fix)
    assert [f.resolved for f in item_before.findings] == [False]
    assert [(f.resolved, f.resolved_in_review_id) for f in item_after.findings] == [
        (True, later_review)]
    assert item_after.all_findings_resolved


def test_nrr_share_is_one_time_budget_approved_in_the_period_over_mrr_times_months(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Share Co", mrr="3000")
    boss = strategy.decision_maker(client)
    inside = strategy.propose(client, "Firewall", one_time="2500", quarter=date(2025, 4, 1))
    outside = strategy.propose(client, "Servers", one_time="5000", quarter=date(2025, 7, 1))
    strategy.approve(client, inside, boss, date(2025, 2, 1))
    strategy.approve(client, outside, boss, date(2025, 4, 5))
    services.catch_up()

    metrics = services.vcio_dashboard.dashboard(
        strategy.tenant, Period(date(2025, 1, 1), date(2025, 4, 1)), date(2025, 3, 15)).msp

    assert metrics.counts.non_recurring_revenue == money("2500")
    assert metrics.mrr_over_period == money("9000.00")
    assert (metrics.nrr_share, metrics.nrr_band) == (Decimal("27.8"), "in")


def test_cadence_counts_only_touches_with_decision_makers_and_lists_clients_behind_first(
        services: Any, strategy: Strategy) -> None:
    steady = strategy.client("Steady Co", complexity=5)
    complex_ = strategy.client("Complex Co", complexity=8)
    steady_boss = strategy.decision_maker(steady)
    complex_boss = strategy.decision_maker(complex_)
    strategy.touch(steady, date(2025, 1, 10), steady_boss)
    strategy.touch(complex_, date(2025, 1, 12), complex_boss)
    strategy.touch(complex_, date(2025, 1, 20), None)
    services.catch_up()

    cadence = services.touch_cadence.cadence(strategy.tenant, date(2025, 1, 1), months=1)

    assert [(c.client_name, c.touches, c.other_touches, c.target, c.behind) for c in cadence] == [
        ("Complex Co", 1, 1, 2, True), ("Steady Co", 1, 0, 1, False)]


def test_the_meeting_calendar_counts_planned_held_rescheduled_and_cancelled_meetings(
        services: Any, strategy: Strategy) -> None:
    client = strategy.client("Calendar Co")
    held = strategy.meeting(client, date(2025, 1, 20))
    strategy.hold(client, held, date(2025, 1, 21))
    moved = strategy.meeting(client, date(2025, 2, 10))
    strategy.reschedule(client, moved, date(2025, 3, 3))
    strategy.cancel(client, strategy.meeting(client, date(2025, 2, 20)))
    strategy.action_item(client, date(2025, 2, 1), meeting=held)
    strategy.action_item(client, date(2025, 4, 1), meeting=held)
    services.catch_up()

    calendar = services.meeting_calendar.calendar(
        strategy.tenant, Period(date(2025, 1, 1), date(2025, 4, 1)), date(2025, 3, 15),
        client_id=client)

    assert (calendar.planned, calendar.held, calendar.rescheduled, calendar.cancelled) == (
        1, 1, 1, 1)
    assert (len(calendar.open_action_items), len(calendar.overdue_action_items)) == (2, 1)


def dashboard_scenario(scenario: Scenario, strategy: Strategy,
                       between: Callable[[], None] = lambda: None) -> None:
    """Two vCIOs, three clients; the expected figures are worked out in the test below.
    ``between`` runs after each stage (a projector catching up as the story unfolds)."""
    firewall = scenario.standard(category="firewalls")  # reviewed quarterly
    backup = scenario.standard(category="backup")
    scenario.bus.handle(ReviseStandard(
        standard_id=backup, changes={"review_frequency": ReviewFrequency.ANNUAL.value},
        reason="Backups change slowly."), scenario.committee)
    scenario.standard(category="email", publish=False)
    between()

    a = strategy.client("A", mrr="3000", complexity=5)
    b = strategy.client("B", mrr="1500", complexity=8, fiscal_year_start_month=7)
    c = strategy.client("C", mrr="6500", complexity=3, vcio="victor.vcio")
    dm = {client: strategy.decision_maker(client) for client in (a, b, c)}

    # Due per standard from its last answer: A's are fresh; C's firewall answer is over a
    # quarter old by 2025-03-15 and its backup standard was never answered; B was never reviewed.
    strategy.review(a, date(2025, 2, 10), answers={firewall: Answer.YES, backup: Answer.YES})
    strategy.review(c, date(2024, 11, 1), categories=["firewalls"],
                    answers={firewall: Answer.NO})
    between()

    r1 = strategy.propose(a, "R1", one_time="3500", quarter=date(2025, 4, 1))
    r2 = strategy.propose(a, "R2", one_time="1000", quarter=date(2026, 1, 1))
    strategy.propose(a, "R3", one_time="700", quarter=date(2025, 7, 1))
    strategy.approve(a, r1, dm[a], date(2025, 2, 15))
    strategy.approve(a, r2, dm[a], date(2025, 3, 1))
    strategy.start(a, r2, date(2025, 3, 2))
    r4 = strategy.propose(b, "R4", one_time="1500", quarter=date(2025, 7, 1))
    strategy.approve(b, r4, dm[b], date(2024, 12, 20))
    strategy.start(b, r4, date(2025, 1, 2))
    strategy.complete(b, r4, date(2025, 1, 20))
    r5 = strategy.propose(c, "R5", one_time="5000", quarter=date(2025, 4, 1))
    strategy.approve(c, r5, dm[c], date(2025, 3, 10))
    strategy.decline(c, strategy.propose(c, "R6", one_time="900", quarter=date(2025, 4, 1)), dm[c])
    between()

    m1 = strategy.meeting(a, date(2025, 1, 20))
    strategy.hold(a, m1, date(2025, 1, 20))
    strategy.meeting(a, date(2025, 6, 15))
    strategy.meeting(a, date(2026, 4, 1))
    strategy.cancel(b, strategy.meeting(b, date(2025, 5, 1)))
    strategy.reschedule(b, strategy.meeting(b, date(2025, 9, 1)), date(2025, 10, 1))
    strategy.hold(c, strategy.meeting(c, date(2024, 12, 15)), date(2024, 12, 15))
    strategy.meeting(c, date(2025, 4, 10))
    between()

    for day in (date(2025, 1, 10), date(2025, 2, 10), date(2025, 3, 10)):
        strategy.touch(a, day, dm[a])
    strategy.touch(a, date(2025, 2, 11), None)
    strategy.touch(b, date(2025, 1, 5), dm[b])
    strategy.touch(b, date(2025, 2, 5), dm[b])
    strategy.touch(b, date(2025, 4, 2), dm[b])
    strategy.touch(c, date(2024, 12, 30), dm[c])
    strategy.touch(c, date(2025, 3, 1), dm[c])
    between()

    strategy.action_item(a, date(2025, 3, 1), meeting=m1)
    strategy.action_item(a, date(2025, 4, 1), meeting=m1)
    strategy.complete_action_item(b, strategy.action_item(b, date(2025, 2, 1)), date(2025, 2, 2))
    strategy.action_item(c, date(2025, 3, 14))


def test_dashboard_numbers_for_a_small_hand_computed_scenario(
        services: Any, scenario: Scenario, strategy: Strategy) -> None:
    dashboard_scenario(scenario, strategy)
    services.catch_up()

    dashboard = services.vcio_dashboard.dashboard(
        strategy.tenant, Period(date(2025, 1, 1), date(2025, 4, 1)), date(2025, 3, 15))

    def figures(m: Any) -> tuple[Any, ...]:
        k = m.counts
        return (m.vcio, k.clients, k.mrr, m.average_mrr, k.meetings_scheduled_next_12_months,
                k.meetings_held, k.touches, m.touch_target, k.non_recurring_revenue, m.nrr_share,
                m.nrr_band, k.backlog_count, k.backlog_one_time, k.reviews_completed,
                k.budgets_completed, k.open_action_items, k.overdue_action_items,
                m.overdue_review_areas)

    d = Decimal
    assert [figures(m) for m in dashboard.vcios] == [
        ("vera.vcio", 2, d("4500"), d("2250.00"), 2, 1, 5, d("9.00"), d("4500"), d("33.3"),
         "above", 2, d("4500"), 1, 2, 2, 1, 2),
        ("victor.vcio", 1, d("6500"), d("6500.00"), 1, 0, 1, d("3.00"), d("5000"), d("25.6"),
         "in", 1, d("5000"), 0, 0, 1, 1, 2)]
    assert figures(dashboard.msp) == (
        None, 3, d("11000"), d("3666.67"), 3, 1, 6, d("12.00"), d("9500"), d("28.8"), "in",
        3, d("9500"), 1, 2, 3, 2, 4)
    overdue = services.vcio_dashboard.overdue_areas(strategy.tenant, date(2025, 3, 15))
    assert [(a.client_name, a.category) for a in overdue] == [
        ("B", "backup"), ("B", "firewalls"), ("C", "backup"), ("C", "firewalls")]


def test_the_qbr_pack_brings_alignment_roadmap_action_items_touches_and_meetings_together(
        services: Any, scenario: Scenario, strategy: Strategy) -> None:
    standard = scenario.standard(category="firewalls")
    client = scenario.client()
    boss = strategy.decision_maker(client)
    scenario.completed_review(client, {standard: Answer.NO})
    strategy.propose(client, "Replace firewall", one_time="800", findings=[standard],
                     quarter=date(2025, 4, 1))
    last = strategy.meeting(client, date(2025, 1, 20))
    strategy.hold(client, last, date(2025, 1, 20))
    strategy.action_item(client, date(2025, 2, 1), meeting=last)
    strategy.touch(client, date(2025, 2, 3), boss)
    upcoming = strategy.meeting(client, date(2025, 4, 15))
    services.catch_up()

    pack = services.qbr_pack.pack(scenario.tenant, client, date(2025, 3, 20), upcoming)

    assert pack.score == Decimal("0.0")
    assert [i.standard_id for i in pack.top_misaligned] == [standard]
    assert [p.score for p in pack.score_trend] == [Decimal("0.0")]
    assert [q.one_time for q in pack.roadmap.quarters] == [0, money("800"), 0, 0]
    assert pack.last_meeting is not None and pack.last_meeting.meeting_id == last
    assert [a.follow_up_on for a in pack.open_action_items] == [date(2025, 2, 1)]
    assert [m.meeting_id for m in pack.meetings_held] == [last]
    assert pack.touches is not None and pack.touches.touches == 1


PROJECTIONS = [RoadmapProjection, BudgetProjection, MeetingCalendarProjection,
               TouchCadenceProjection, VcioDashboardProjection]


@pytest.mark.parametrize("kind", PROJECTIONS, ids=lambda kind: kind.name)
def test_rebuilding_a_strategy_projection_gives_the_rows_built_incrementally(
        services: Any, scenario: Scenario, strategy: Strategy, private_projectors: Any,
        kind: type) -> None:
    private = type(f"Private{kind.__name__}", (kind,), {"name": private_name(kind.name)})()
    projector = private_projectors(private, batch_size=7)
    projector.catch_up()
    dashboard_scenario(scenario, strategy, between=projector.catch_up)
    projector.catch_up()
    incremental = live_rows(services.database.conninfo, private.name)

    projector.rebuild()

    assert live_rows(services.database.conninfo, private.name) == incremental
    assert any(incremental.values())
    assert services.reader.dead_letters(private.name) == []


def test_overdue_areas_read_a_page_at_a_time_give_each_area_once_in_client_name_order(
        services: Any, scenario: Scenario, strategy: Strategy) -> None:
    dashboard_scenario(scenario, strategy)
    services.catch_up()
    view, today = services.vcio_dashboard, date(2025, 3, 15)

    first = view.overdue_areas(strategy.tenant, today, limit=3)
    last = first[-1]
    rest = view.overdue_areas(strategy.tenant, today, limit=3,
                              after=AreaCursor(last.client_name, last.client_id, last.category))

    assert [(a.client_name, a.category) for a in first + rest] == [
        ("B", "backup"), ("B", "firewalls"), ("C", "backup"), ("C", "firewalls")]
    assert len(rest) == 1
