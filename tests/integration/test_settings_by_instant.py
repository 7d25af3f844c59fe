"""The MSP's settings answer by instant, and the annual plan uses the client's profile in force
on the day it runs (PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from aggregates.client import Client
from commands.clients import ChangeClientProfile, OnboardClient
from commands.msp_settings import SetFinancialDefaults, SetReviewLeadTime
from commands.results import Actor
from schedulers.jobs import plan_year
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

RECORDED = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # the afternoon the change is recorded
DECEMBER_RUN = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def lead_days_at(services: Any, scenario: Scenario, at: datetime) -> int:
    services.catch_up()
    return int(services.msp_settings.review_lead_days(scenario.tenant, at))


def test_a_read_earlier_on_the_day_a_change_is_recorded_shows_the_setting_before_it(
        services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="more time"), admin(scenario), RECORDED)

    assert lead_days_at(services, scenario, RECORDED - timedelta(hours=5)) == 14


def test_a_read_at_the_instant_a_change_is_recorded_shows_it(services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="more time"), admin(scenario), RECORDED)

    assert lead_days_at(services, scenario, RECORDED) == 21


def test_a_change_dated_a_later_day_is_in_force_from_midnight_utc_of_that_day(
        services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, effective_on=date(2026, 12, 5), reason="more time"),
                        admin(scenario), RECORDED)

    before, at_midnight = (lead_days_at(services, scenario, datetime(2026, 12, 4, 23, 59, tzinfo=UTC)),
                           lead_days_at(services, scenario, datetime(2026, 12, 5, tzinfo=UTC)))

    assert (before, at_midnight) == (14, 21)


def test_the_currency_and_fiscal_year_in_force_are_read_back(services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetFinancialDefaults(currency="GBP", fiscal_year_start_month=4,
                                             reason="UK tax year"), admin(scenario), RECORDED)
    services.catch_up()

    found = services.msp_settings.in_force(scenario.tenant, RECORDED)

    assert (found.currency, found.fiscal_year_start_month) == ("GBP", 4)


def test_another_tenants_currency_is_not_this_ones(services: Any, scenario: Scenario) -> None:
    scenario.bus.handle(SetFinancialDefaults(currency="GBP", fiscal_year_start_month=4,
                                             reason="UK tax year"), admin(scenario), RECORDED)
    services.catch_up()

    found = services.msp_settings.in_force(f"{scenario.tenant}-other", RECORDED)

    assert (found.currency, found.fiscal_year_start_month) == ("USD", 1)


def test_the_annual_plan_uses_the_mrr_in_force_on_the_day_it_runs(services: Any, scenario: Scenario) -> None:
    client_id = services.bus.handle(OnboardClient(
        name="Client A", mrr=Decimal(3000), user_count=24, complexity=5, industry="legal",
        vcio="vera.vcio", tam="tom.tam"), scenario.vcio, DECEMBER_RUN).aggregate_id
    services.bus.handle(ChangeClientProfile(client_id=client_id, changes={"mrr": "20000.00"},
                                            effective_on=date(2027, 3, 1)), scenario.vcio, DECEMBER_RUN)
    services.catch_up()  # the scheduler finds clients in the directory

    plan_year(services, 2027, DECEMBER_RUN, client=client_id)

    plan, = [e for e in services.ledger.events.get(client_id) if isinstance(e, Client.MeetingPlanScheduled)]
    assert (len(plan.meetings), plan.cadence_source) == (4, "rule:standard")
