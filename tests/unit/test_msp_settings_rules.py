"""What the ``MspSettings`` aggregate records for each setting, and the rules it refuses with."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from aggregates.cadence_rules import default_rules
from aggregates.errors import InvalidValueError
from aggregates.msp_settings import MspSettings
from tests.unit.client_steps import last_event

TODAY = date(2026, 12, 1)
WEIGHTS = {"high": Decimal(5), "medium": Decimal(3), "low": Decimal(1)}
FACTORS = {"aligned": Decimal(1), "marginal": Decimal("0.5"), "highly_vulnerable": Decimal(0),
           "unrated": Decimal(0)}
BANDS = {"clients_per_vcio": {"low": Decimal(30), "high": Decimal(40)},
         "average_mrr": {"low": Decimal(2500), "high": Decimal(3500)},
         "mrr_per_vcio": {"low": Decimal(100000), "high": Decimal(130000)},
         "nrr_share_percent": {"low": Decimal(20), "high": Decimal(30)}}


def opened() -> MspSettings:
    return MspSettings(tenant="msp-1", by="ada")


def policy(settings: MspSettings, *, weights: dict[str, Decimal] | None = None,
           factors: dict[str, Decimal] | None = None, effective_on: date = TODAY) -> None:
    settings.set_scoring_policy(weights=WEIGHTS if weights is None else weights,
                                factors=FACTORS if factors is None else factors,
                                effective_on=effective_on, today=TODAY, reason="risk first", by="ada")


def bands(settings: MspSettings, changed: dict[str, dict[str, Decimal]]) -> None:
    settings.set_target_bands(bands={**BANDS, **changed}, effective_on=TODAY, today=TODAY,
                              reason="growth", by="ada")


def refusal(act: Any) -> tuple[str, str]:
    with pytest.raises(InvalidValueError) as raised:
        act()
    return raised.value.field, raised.value.reason


def test_opening_the_settings_records_the_tenant_and_counts_no_change() -> None:
    settings = opened()

    event = last_event(settings)
    assert (type(event), event.tenant, event.by, settings.changes) == (
        MspSettings.MspSettingsOpened, "msp-1", "ada", 0)


# --- scoring policy ----------------------------------------------------------------------------

def test_a_scoring_policy_records_its_day_weights_factors_reason_and_author() -> None:
    settings = opened()

    policy(settings, effective_on=date(2027, 1, 1))

    event = last_event(settings)
    assert (type(event), event.effective_on, event.weights, event.factors, event.reason, event.by) == (
        MspSettings.ScoringPolicySet, date(2027, 1, 1), WEIGHTS, FACTORS, "risk first", "ada")


def test_each_setting_counts_as_one_change() -> None:
    settings = opened()

    policy(settings)
    bands(settings, {})
    settings.set_cadence_rules(rules=default_rules(), effective_on=TODAY, today=TODAY, reason="r", by="ada")
    settings.set_review_lead_time(days=14, effective_on=TODAY, today=TODAY, reason="r", by="ada")

    assert settings.changes == 4


def test_a_setting_taking_effect_today_is_accepted() -> None:
    settings = opened()

    policy(settings, effective_on=TODAY)

    assert last_event(settings).effective_on == TODAY


def test_a_setting_dated_before_today_is_refused_naming_today() -> None:
    settings = opened()

    assert refusal(lambda: policy(settings, effective_on=date(2026, 11, 30))) == (
        "effective_on",
        "a setting takes effect from today (2026-12-01) or later, never before it is recorded")


@pytest.mark.parametrize("weights", [
    {"high": Decimal(5), "medium": Decimal(3)},
    {**WEIGHTS, "urgent": Decimal(9)},
])
def test_weights_that_are_not_one_per_priority_are_refused(weights: dict[str, Decimal]) -> None:
    assert refusal(lambda: policy(opened(), weights=weights)) == (
        "weights", "give a weight for each priority: high, medium, low")


@pytest.mark.parametrize("priority", ["high", "medium", "low"])
def test_a_weight_of_zero_is_refused_naming_its_priority(priority: str) -> None:
    assert refusal(lambda: policy(opened(), weights={**WEIGHTS, priority: Decimal(0)})) == (
        f"weights.{priority}", "a weight is greater than 0")


def test_a_small_positive_weight_is_accepted() -> None:
    settings = opened()

    policy(settings, weights={**WEIGHTS, "low": Decimal("0.01")})

    assert last_event(settings).weights["low"] == Decimal("0.01")


@pytest.mark.parametrize("factors", [
    {k: v for k, v in FACTORS.items() if k != "unrated"},
    {**FACTORS, "unknown": Decimal(0)},
])
def test_factors_that_are_not_one_per_outcome_are_refused(factors: dict[str, Decimal]) -> None:
    assert refusal(lambda: policy(opened(), factors=factors)) == (
        "factors", "give a factor for each outcome: aligned, marginal, highly_vulnerable, unrated")


@pytest.mark.parametrize(("name", "value"), [
    ("aligned", Decimal("1.01")), ("unrated", Decimal("-0.01")), ("highly_vulnerable", Decimal("-1")),
])
def test_a_factor_outside_0_to_1_is_refused_naming_it(name: str, value: Decimal) -> None:
    assert refusal(lambda: policy(opened(), factors={**FACTORS, name: value})) == (
        f"factors.{name}", "a factor is between 0 and 1")


def test_factors_at_0_and_1_and_equal_neighbours_are_accepted() -> None:
    settings = opened()
    factors = {"aligned": Decimal(1), "marginal": Decimal(1), "highly_vulnerable": Decimal(0),
               "unrated": Decimal(0)}

    policy(settings, factors=factors)

    assert last_event(settings).factors == factors


@pytest.mark.parametrize(("better", "worse"), [
    ("aligned", "marginal"), ("marginal", "highly_vulnerable"), ("highly_vulnerable", "unrated")])
def test_a_worse_answer_earning_more_than_a_better_one_is_refused_naming_the_worse(
        better: str, worse: str) -> None:
    factors = {"aligned": Decimal("0.8"), "marginal": Decimal("0.6"),
               "highly_vulnerable": Decimal("0.4"), "unrated": Decimal("0.2")}
    factors[worse] = factors[better] + Decimal("0.1")

    assert refusal(lambda: policy(opened(), factors=factors)) == (
        f"factors.{worse}", f"a {worse} answer cannot earn more than a {better} one ({factors[better]})")


# --- target bands ------------------------------------------------------------------------------

def test_target_bands_record_their_day_bands_reason_and_author() -> None:
    settings = opened()

    bands(settings, {})

    event = last_event(settings)
    assert (type(event), event.effective_on, event.bands, event.reason, event.by) == (
        MspSettings.TargetBandsSet, TODAY, BANDS, "growth", "ada")


def test_target_bands_dated_before_today_are_refused() -> None:
    settings = opened()

    assert refusal(lambda: settings.set_target_bands(
        bands=BANDS, effective_on=date(2026, 1, 1), today=TODAY, reason="r", by="ada"))[0] == "effective_on"


@pytest.mark.parametrize("given", [
    {k: v for k, v in BANDS.items() if k != "average_mrr"},
    {**BANDS, "churn": {"low": Decimal(0), "high": Decimal(1)}},
])
def test_bands_missing_a_named_band_or_naming_an_unknown_one_are_refused(
        given: dict[str, dict[str, Decimal]]) -> None:
    settings = opened()

    assert refusal(lambda: settings.set_target_bands(
        bands=given, effective_on=TODAY, today=TODAY, reason="r", by="ada")) == (
        "bands", "give each band: clients_per_vcio, average_mrr, mrr_per_vcio, nrr_share_percent"
        " (and optionally touches_per_vcio_month, meetings_per_vcio_month)")


@pytest.mark.parametrize("name", ["clients_per_vcio", "average_mrr", "mrr_per_vcio", "nrr_share_percent"])
def test_a_band_starting_below_0_is_refused_naming_its_low_end(name: str) -> None:
    assert refusal(lambda: bands(opened(), {name: {"low": Decimal(-1), "high": Decimal(5)}})) == (
        f"bands.{name}.low", "a band starts at 0 or above")


@pytest.mark.parametrize("name", ["clients_per_vcio", "average_mrr", "mrr_per_vcio", "nrr_share_percent"])
def test_a_band_whose_high_end_is_below_its_low_end_is_refused_naming_the_low_end(name: str) -> None:
    assert refusal(lambda: bands(opened(), {name: {"low": Decimal(5), "high": Decimal(4)}})) == (
        f"bands.{name}.high", "the high end is below the low end (5)")


def test_a_band_from_0_to_0_is_accepted() -> None:
    settings = opened()

    bands(settings, {"nrr_share_percent": {"low": Decimal(0), "high": Decimal(0)}})

    assert last_event(settings).bands["nrr_share_percent"] == {"low": Decimal(0), "high": Decimal(0)}


# --- cadence rules and review lead time --------------------------------------------------------

def test_cadence_rules_record_their_json_document_day_reason_and_author() -> None:
    settings = opened()

    settings.set_cadence_rules(rules=default_rules(), effective_on=date(2027, 1, 1), today=TODAY,
                               reason="adopt", by="ada")

    event = last_event(settings)
    assert (type(event), event.effective_on, event.rules, event.reason, event.by) == (
        MspSettings.CadenceRulesSet, date(2027, 1, 1),
        default_rules().model_dump(mode="json", exclude_none=True), "adopt", "ada")


def test_cadence_rules_dated_before_today_are_refused() -> None:
    settings = opened()

    assert refusal(lambda: settings.set_cadence_rules(
        rules=default_rules(), effective_on=date(2026, 11, 1), today=TODAY, reason="r", by="ada"))[0] == (
        "effective_on")


@pytest.mark.parametrize("days", [0, 365])
def test_a_review_lead_time_from_0_to_365_days_is_recorded_with_its_day_reason_and_author(days: int) -> None:
    settings = opened()

    settings.set_review_lead_time(days=days, effective_on=TODAY, today=TODAY, reason="prep", by="ada")

    event = last_event(settings)
    assert (type(event), event.effective_on, event.days, event.reason, event.by) == (
        MspSettings.ReviewLeadTimeSet, TODAY, days, "prep", "ada")


@pytest.mark.parametrize("days", [-1, 366])
def test_a_review_lead_time_outside_0_to_365_days_is_refused(days: int) -> None:
    settings = opened()

    assert refusal(lambda: settings.set_review_lead_time(
        days=days, effective_on=TODAY, today=TODAY, reason="r", by="ada")) == (
        "days", "a lead time is 0 to 365 days")


def test_a_review_lead_time_dated_before_today_is_refused() -> None:
    settings = opened()

    assert refusal(lambda: settings.set_review_lead_time(
        days=5, effective_on=date(2026, 11, 1), today=TODAY, reason="r", by="ada"))[0] == "effective_on"


def test_a_later_setting_carries_the_settings_tenant() -> None:
    settings = opened()

    policy(settings)

    assert (settings.tenant, last_event(settings).tenant) == ("msp-1", "msp-1")
