"""The vCIO dashboard reads the MSP's target bands and cadence rules in the same transaction as
its figures (``VcioDashboardView.dashboard_in_force``): the same answer as reading them apart,
and a setting recorded after an earlier read is the one the next read places figures against."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from aggregates.cadence_rules import default_rules
from commands.msp_settings import Band, SetCadenceRules, SetTargetBands, TargetBands
from commands.results import Actor
from projections.fiscal import Period
from projections.targets import DEFAULT_TARGETS
from projections.targets import Band as PlacedBand
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def set_bands(scenario: Scenario, nrr_low: int, nrr_high: int) -> None:
    bands = TargetBands(
        clients_per_vcio=Band(low=Decimal(30), high=Decimal(40)),
        average_mrr=Band(low=Decimal(2500), high=Decimal(3500)),
        mrr_per_vcio=Band(low=Decimal(100000), high=Decimal(130000)),
        nrr_share_percent=Band(low=Decimal(nrr_low), high=Decimal(nrr_high)))
    scenario.bus.handle(SetTargetBands(bands=bands, reason="smaller team"), admin(scenario),
                        scenario.clock)


def this_month() -> Period:
    first = datetime.now(UTC).date().replace(day=1)
    return Period(first, first + timedelta(days=31))


def test_the_dashboard_with_its_settings_read_in_its_own_transaction_equals_them_read_apart(
        services: Any, scenario: Scenario) -> None:
    rules = default_rules()
    scenario.bus.handle(SetCadenceRules(rules=rules.model_copy(update={"cadence_rules": [
        rule.model_copy(update={"touches_per_month": 3}) for rule in rules.cadence_rules]}),
        reason="three touches for everyone"), admin(scenario), scenario.clock)
    set_bands(scenario, 20, 30)
    scenario.client()
    services.catch_up()
    now = datetime.now(UTC)
    apart = services.vcio_dashboard.dashboard(
        scenario.tenant, this_month(), now.date(),
        targets=services.msp_settings.target_bands(scenario.tenant, now))

    together = services.vcio_dashboard.dashboard_in_force(
        services.msp_settings, scenario.tenant, this_month(), now.date(), None, now)

    assert together == apart
    assert (together.targets.nrr_share_percent, together.msp.counts.touch_target_per_month) == (
        PlacedBand(Decimal(20), Decimal(30)), 3)


def test_bands_recorded_after_a_read_are_the_ones_the_next_read_places_figures_against(
        services: Any, scenario: Scenario) -> None:
    scenario.client()
    services.catch_up()
    before = services.vcio_dashboard.dashboard_in_force(
        services.msp_settings, scenario.tenant, this_month(), datetime.now(UTC).date(), None,
        datetime.now(UTC))
    set_bands(scenario, 5, 15)
    services.catch_up()

    after = services.vcio_dashboard.dashboard_in_force(
        services.msp_settings, scenario.tenant, this_month(), datetime.now(UTC).date(), None,
        datetime.now(UTC))

    assert (before.msp.nrr_target, after.msp.nrr_target) == (
        DEFAULT_TARGETS.nrr_share_percent, PlacedBand(Decimal(5), Decimal(15)))
