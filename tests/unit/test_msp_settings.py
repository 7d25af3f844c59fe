"""The MSP's own rules as events: the ``MspSettings`` aggregate through the real handlers."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from aggregates.cadence_rules import default_rules
from aggregates.errors import InvalidValueError
from aggregates.msp_settings import MspSettings
from commands.bus import NotPermittedError
from commands.msp_settings import (
    RatingFactors,
    SetCadenceRules,
    SetReviewLeadTime,
    SetScoringPolicy,
    SetTargetBands,
    msp_settings_id,
)
from commands.results import Actor
from tests.unit.scenario import Scenario

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BANDS: dict[str, Any] = {
    "clients_per_vcio": {"low": 30, "high": 40}, "average_mrr": {"low": 2500, "high": 3500},
    "mrr_per_vcio": {"low": 100000, "high": 130000}, "nrr_share_percent": {"low": 20, "high": 30}}


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def settings(scenario: Scenario) -> MspSettings:
    actor = admin(scenario)
    return scenario.ledger.load(actor, MspSettings, msp_settings_id(scenario.ledger, actor), "msp")


def recorded(scenario: Scenario) -> list[Any]:
    return list(scenario.ledger.events.get(msp_settings_id(scenario.ledger, admin(scenario))))


def test_the_first_policy_change_opens_the_record_and_records_the_policy_with_its_day(
        scenario: Scenario) -> None:
    scenario.bus.handle(SetScoringPolicy(
        weights={"high": 8, "medium": 4, "low": 1}, effective_on=date(2027, 1, 1),
        reason="risk first"), admin(scenario), NOW)

    opened, policy = recorded(scenario)
    assert isinstance(opened, MspSettings.MspSettingsOpened)
    assert (policy.effective_on, policy.weights, policy.factors, policy.by) == (
        date(2027, 1, 1), {"high": Decimal(8), "medium": Decimal(4), "low": Decimal(1)},
        {"aligned": Decimal(1), "marginal": Decimal("0.5"), "highly_vulnerable": Decimal(0),
         "unrated": Decimal(0)}, "ada.admin")


def test_a_setting_without_a_day_takes_effect_the_day_it_is_recorded(scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="longer prep"), admin(scenario), NOW)

    assert recorded(scenario)[-1].effective_on == date(2026, 12, 1)


def test_a_setting_dated_before_today_is_refused_naming_effective_on(scenario: Scenario) -> None:
    with pytest.raises(InvalidValueError) as refused:
        scenario.bus.handle(SetReviewLeadTime(days=21, effective_on=date(2026, 11, 30),
                                              reason="back-dated"), admin(scenario), NOW)

    assert refused.value.field == "effective_on"


def test_a_marginal_factor_above_the_aligned_one_is_refused_naming_the_factor(
        scenario: Scenario) -> None:
    command = SetScoringPolicy(factors=RatingFactors(aligned=Decimal("0.8"), marginal=Decimal("0.9")),
                               reason="typo")

    with pytest.raises(InvalidValueError) as refused:
        scenario.bus.handle(command, admin(scenario), NOW)

    assert refused.value.field == "factors.marginal"


def test_a_weight_of_zero_is_refused_by_the_command_naming_the_priority() -> None:
    with pytest.raises(ValidationError) as refused:
        SetScoringPolicy(weights={"high": 0, "medium": 3, "low": 1}, reason="oops")

    assert refused.value.errors()[0]["loc"] == ("weights", "high")


def test_a_band_whose_high_end_is_below_its_low_end_is_refused_naming_the_band(
        scenario: Scenario) -> None:
    bands = {**BANDS, "average_mrr": {"low": 3500, "high": 2500}}

    with pytest.raises(InvalidValueError) as refused:
        scenario.bus.handle(SetTargetBands(bands=bands, reason="swap"), admin(scenario), NOW)

    assert refused.value.field == "bands.average_mrr.high"


def test_cadence_rules_that_give_a_bigger_client_fewer_meetings_are_refused_naming_both_rows() -> None:
    rules = {"cadence_rules": [
        {"name": "big", "when": {"mrr": {"min": 10000}}, "meetings_per_year": 2, "touches_per_month": 1},
        {"name": "everyone", "meetings_per_year": 4, "touches_per_month": 1}]}

    with pytest.raises(ValidationError) as refused:
        SetCadenceRules.model_validate({"rules": rules, "reason": "try"})

    message = str(refused.value)
    assert "'everyone'" in message and "'big'" in message


def test_cadence_rules_are_recorded_as_the_json_document_the_scheduler_reads(
        scenario: Scenario) -> None:
    scenario.bus.handle(SetCadenceRules(rules=default_rules(), reason="adopt the defaults"),
                        admin(scenario), NOW)

    assert recorded(scenario)[-1].rules == default_rules().model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("role", ["committee", "vcio", "tam", "viewer", "scheduler", "integration"])
def test_only_an_admin_may_change_the_msps_settings(scenario: Scenario, role: str) -> None:
    actor = Actor(scenario.tenant, f"someone.{role}", role)

    with pytest.raises(NotPermittedError):
        scenario.bus.handle(SetTargetBands(bands=BANDS, reason="try"), actor, NOW)


def test_each_change_after_the_first_adds_one_event_to_the_same_record(scenario: Scenario) -> None:
    scenario.bus.handle(SetTargetBands(bands=BANDS, reason="smaller team"), admin(scenario), NOW)
    scenario.bus.handle(SetReviewLeadTime(days=10, reason="faster"), admin(scenario), NOW)

    assert settings(scenario).changes == 2
    assert len(recorded(scenario)) == 3
