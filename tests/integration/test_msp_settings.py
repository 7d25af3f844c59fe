"""The MSP's settings read back from PostgreSQL: scores under the policy in force when each
review was finalised, the defaults for a tenant that never changed one, and the committee's
replay under a proposed policy."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from aggregates.cadence_rules import default_rules
from commands.cadence import PlanClientMeetings, ProposedMeeting
from commands.msp_settings import PriorityWeights, SetCadenceRules, SetReviewLeadTime, SetScoringPolicy
from commands.results import Actor
from events.vocabulary import Answer, MeetingKind, Priority
from projections.as_of_view import Basis
from projections.capacity import CapacityView
from projections.fiscal import Period
from projections.impact import AsAnswered
from projections.scoring import DEFAULT_POLICY, ScoringPolicy
from projections.targets import DEFAULT_TARGETS
from schedulers.store import SchedulerStore
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

# One high standard answered yes, one low answered no (unrated): 5 / 6 by default; with the
# low weight raised to 5 it is 5 / 10.
LOW_WEIGHS_FIVE = PriorityWeights(high=Decimal(5), medium=Decimal(3), low=Decimal(5))


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def reviewed_client(scenario: Scenario) -> UUID:
    high = scenario.standard(priority=Priority.HIGH)
    low = scenario.standard(priority=Priority.LOW)
    client = scenario.client()
    scenario.completed_review(client, {high: Answer.YES, low: Answer.NO})
    return client


def set_policy(scenario: Scenario, days_ahead: int = 0) -> None:
    scenario.bus.handle(SetScoringPolicy(
        weights=LOW_WEIGHS_FIVE, effective_on=(scenario.clock + timedelta(days=days_ahead)).date(),
        reason="low items matter to our clients"), admin(scenario), scenario.clock)


def scores(services: Any, scenario: Scenario, client: UUID) -> list[Decimal | None]:
    services.catch_up()
    return [p.score for p in services.history.history(scenario.tenant, client)]


def test_a_policy_change_does_not_change_a_score_already_finalised(
        services: Any, scenario: Scenario) -> None:
    client = reviewed_client(scenario)

    set_policy(scenario)

    assert scores(services, scenario, client) == [Decimal("83.33")]


def test_a_review_finalised_once_the_policy_is_in_force_is_scored_under_it(
        services: Any, scenario: Scenario) -> None:
    set_policy(scenario)

    client = reviewed_client(scenario)

    assert scores(services, scenario, client) == [Decimal("50.00")]


def test_a_policy_set_for_a_later_day_leaves_reviews_finalised_before_it_under_the_old_one(
        services: Any, scenario: Scenario) -> None:
    set_policy(scenario, days_ahead=30)

    client = reviewed_client(scenario)

    assert scores(services, scenario, client) == [Decimal("83.33")]


def test_a_tenant_that_never_changed_a_setting_reads_the_products_defaults(
        services: Any, scenario: Scenario) -> None:
    services.catch_up()
    at = datetime.now(UTC)

    found = (services.msp_settings.scoring_policy(scenario.tenant, at),
             services.msp_settings.target_bands(scenario.tenant, at),
             services.msp_settings.review_lead_days(scenario.tenant, at))

    assert found == (DEFAULT_POLICY, DEFAULT_TARGETS, 14)


def test_the_settings_view_answers_the_setting_in_force_on_each_side_of_its_day(
        services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, effective_on=(scenario.clock + timedelta(days=10)).date(),
                                          reason="more time"), admin(scenario), scenario.clock)
    services.catch_up()

    before = services.msp_settings.review_lead_days(scenario.tenant, scenario.clock + timedelta(days=9))
    after = services.msp_settings.review_lead_days(scenario.tenant, scenario.clock + timedelta(days=10))

    assert (before, after) == (14, 21)


def test_every_settings_change_is_listed_with_its_author_day_and_reason(
        services: Any, scenario: Scenario) -> None:
    set_policy(scenario)
    services.catch_up()

    change, = services.msp_settings.changes(scenario.tenant)

    assert (change.kind, change.by, change.effective_on, change.reason, change.values["weights"]) == (
        "scoring_policy", "ada.admin", scenario.clock.date(), "low items matter to our clients",
        {"high": "5", "medium": "3", "low": "5"})


def test_replay_under_a_proposed_policy_matches_the_score_worked_by_hand(
        services: Any, scenario: Scenario) -> None:
    client = reviewed_client(scenario)
    services.catch_up()
    proposed = ScoringPolicy(weights={"high": Decimal(5), "medium": Decimal(3), "low": Decimal(5)})

    report = services.impact.replay(scenario.tenant, AsAnswered(), target_policy=proposed)

    found, = [i for i in report.clients if i.client_id == client]
    assert (found.old_score, found.new_score, found.delta) == (
        Decimal("83.33"), Decimal("50.00"), Decimal("-33.33"))


def test_cadence_rules_recorded_as_a_setting_are_the_rules_the_scheduler_plans_with(
        services: Any, scenario: Scenario) -> None:
    rules = default_rules().model_copy(update={"committee_meetings_per_year": 6})
    SchedulerStore(services.pool).save_rules(scenario.tenant, default_rules(), by="old-cli")
    scenario.bus.handle(SetCadenceRules(rules=rules, reason="six committee meetings"),
                        admin(scenario), scenario.clock)
    services.catch_up()

    found = SchedulerStore(services.pool).rules_for(scenario.tenant, scenario.clock)

    assert found.committee_meetings_per_year == 6


def test_an_msp_that_recorded_no_rules_keeps_planning_with_its_stored_document(
        services: Any, scenario: Scenario) -> None:
    stored = default_rules().model_copy(update={"committee_meetings_per_year": 2})
    SchedulerStore(services.pool).save_rules(scenario.tenant, stored, by="old-cli")

    found = SchedulerStore(services.pool).rules_for(scenario.tenant, scenario.clock)

    assert found.committee_meetings_per_year == 2


def test_capacity_counts_each_planned_meeting_in_its_month_for_the_vcio(
        services: Any, scenario: Scenario) -> None:
    client = scenario.client()
    scenario.bus.handle(PlanClientMeetings(
        client_id=client, year=2025, period_start=date(2025, 1, 1),
        meetings=[ProposedMeeting(kind=MeetingKind.STRATEGY_MEETING,
                                  scheduled_for=datetime(2025, month, 12, 10, tzinfo=UTC))
                  for month in (3, 6, 9, 12)],
        meetings_per_year=4, touches_per_month=1, cadence_source="rule:standard"),
        scenario.scheduler, scenario.clock)
    services.catch_up()
    view = CapacityView(services.client_directory, services.meeting_calendar, services.msp_settings)

    found = view.capacity(scenario.tenant, datetime(2025, 2, 1, tzinfo=UTC))

    vera, = found.vcios
    assert [m.meetings for m in vera.months] == [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]


def test_the_live_alignment_and_scorecard_score_under_the_policy_in_force_today(
        services: Any, scenario: Scenario) -> None:
    client = reviewed_client(scenario)

    set_policy(scenario)

    services.catch_up()
    alignment = services.alignment.alignment(scenario.tenant, client)
    scorecard = services.scorecard.scorecard(scenario.tenant, client, datetime.now(UTC).date())
    assert (alignment.score, scorecard.score) == (Decimal("50.00"), Decimal("50.00"))


def test_an_as_of_view_scores_under_the_policy_in_force_at_its_instant(
        services: Any, scenario: Scenario) -> None:
    client = reviewed_client(scenario)
    today = datetime.now(UTC)
    scenario.bus.handle(SetScoringPolicy(
        weights=LOW_WEIGHS_FIVE, effective_on=(today + timedelta(days=30)).date(),
        reason="low items matter to our clients"), admin(scenario), today)

    services.catch_up()
    then = [services.as_of.alignment(scenario.tenant, client, at, Basis.RECORDED)
            for at in (today, today + timedelta(days=31))]

    assert [found.score for found in then] == [Decimal("83.33"), Decimal("50.00")]


def test_a_client_never_planned_gets_its_touch_target_from_the_msps_rules(
        services: Any, scenario: Scenario) -> None:
    rules = default_rules()
    three_a_month = rules.model_copy(update={"cadence_rules": [
        rule.model_copy(update={"touches_per_month": 3}) for rule in rules.cadence_rules]})
    scenario.bus.handle(SetCadenceRules(rules=three_a_month, reason="three touches for everyone"),
                        admin(scenario), scenario.clock)
    client = scenario.client()

    services.catch_up()
    today = datetime.now(UTC).date()
    cadence = services.touch_cadence.client_cadence(scenario.tenant, client, today)
    dashboard = services.vcio_dashboard.dashboard(
        scenario.tenant, Period(today.replace(day=1), today.replace(day=1) + timedelta(days=31)), today)

    assert (cadence.target_per_month, dashboard.msp.counts.touch_target_per_month) == (3, 3)
