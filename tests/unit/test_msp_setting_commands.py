"""What the MSP settings commands record through the bus: the handler's share (the tenant's one
record, opened by its first change; each change's values, day, reason and author; the cadence
rule document's plain names, known time zone and bounded lists); the aggregate's own rules are
pinned in test_msp_settings.py."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from aggregates.cadence_rules import default_rules
from aggregates.errors import InvalidValueError
from aggregates.msp_settings import MspSettings
from commands.msp_settings import (
    SetCadenceRules,
    SetReviewLeadTime,
    SetScoringPolicy,
    SetTargetBands,
    msp_settings_id,
)
from tests.unit.command_checks import admin, replayed_without_recording
from tests.unit.scenario import Scenario

NOW = datetime(2027, 1, 12, 23, 30, tzinfo=UTC)
BANDS: dict[str, Any] = {
    "clients_per_vcio": {"low": 30, "high": 40}, "average_mrr": {"low": 2500, "high": 3500},
    "mrr_per_vcio": {"low": 100000, "high": 130000}, "nrr_share_percent": {"low": 20, "high": 30}}


def events(scenario: Scenario) -> list[Any]:
    return list(scenario.ledger.events.get(msp_settings_id(scenario.ledger, admin(scenario))))


def rules(**changes: Any) -> dict[str, Any]:
    document = default_rules().model_dump(mode="json")
    document.update(changes)
    return document


def test_the_settings_record_has_one_id_per_tenant_whoever_asks(scenario: Scenario) -> None:
    assert msp_settings_id(scenario.ledger, admin(scenario)) == scenario.ledger.new_id(
        scenario.vcio, "msp-settings", "msp-settings")


def test_the_first_change_opens_the_record_for_the_tenant_by_its_author(scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="longer prep"), admin(scenario), NOW)

    opened, _ = events(scenario)
    assert (type(opened), opened.tenant, opened.by) == (
        MspSettings.MspSettingsOpened, scenario.tenant, "ada.admin")


def test_target_bands_are_recorded_with_their_day_reason_and_author(scenario: Scenario) -> None:
    scenario.bus.handle(SetTargetBands(bands=BANDS, reason="smaller team", effective_on=date(2027, 2, 1)),
                        admin(scenario), NOW)

    event = events(scenario)[-1]
    assert (event.effective_on, event.bands["clients_per_vcio"], event.bands["nrr_share_percent"],
            event.reason, event.by) == (date(2027, 2, 1), {"low": Decimal(30), "high": Decimal(40)},
                          {"low": Decimal(20), "high": Decimal(30)}, "smaller team", "ada.admin")


def test_a_review_lead_time_is_recorded_with_its_days_and_taking_effect_today_by_default(
        scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="longer prep"), admin(scenario), NOW)

    event = events(scenario)[-1]
    assert (event.effective_on, event.days, event.reason, event.by) == (
        date(2027, 1, 12), 21, "longer prep", "ada.admin")


def test_a_setting_for_today_is_accepted_and_one_for_yesterday_refused(scenario: Scenario) -> None:
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="now", effective_on=date(2027, 1, 12)),
                        admin(scenario), NOW)

    with pytest.raises(InvalidValueError) as refused:
        scenario.bus.handle(SetReviewLeadTime(days=20, reason="then", effective_on=date(2027, 1, 11)),
                            admin(scenario), NOW)

    assert refused.value.field == "effective_on"


def test_cadence_rules_are_recorded_with_their_day_reason_and_author(scenario: Scenario) -> None:
    scenario.bus.handle(SetCadenceRules(rules=default_rules(), reason="adopt", effective_on=date(2027, 3, 1)),
                        admin(scenario), NOW)

    event = events(scenario)[-1]
    assert (event.effective_on, event.reason, event.by) == (date(2027, 3, 1), "adopt", "ada.admin")


def test_a_scoring_policy_records_the_factors_it_names(scenario: Scenario) -> None:
    scenario.bus.handle(SetScoringPolicy(factors={"marginal": "0.25"}, reason="stricter"),
                        admin(scenario), NOW)

    event = events(scenario)[-1]
    assert (event.factors, event.reason) == ({"aligned": Decimal(1), "marginal": Decimal("0.25"),
                                             "highly_vulnerable": Decimal(0), "unrated": Decimal(0)},
                                            "stricter")


def test_a_cadence_rule_name_on_two_lines_is_refused() -> None:
    document = rules()
    document["cadence_rules"][0]["name"] = "big\nclients"

    with pytest.raises(ValidationError, match="rules"):
        SetCadenceRules.model_validate({"rules": document, "reason": "try"})


def test_cadence_rules_in_an_unknown_time_zone_are_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        SetCadenceRules.model_validate({"rules": rules(timezone="Mars/Olympus"), "reason": "try"})


def holidays(count: int) -> list[str]:
    return [date.fromordinal(date(2027, 1, 1).toordinal() + n).isoformat() for n in range(count)]


def table(count: int) -> list[dict[str, Any]]:
    return [{"name": f"rule {n}", "meetings_per_year": 4, "touches_per_month": 1} for n in range(count)]


def test_cadence_rules_may_hold_366_holidays_and_100_rules() -> None:
    command = SetCadenceRules.model_validate(
        {"rules": rules(holidays=holidays(366), cadence_rules=table(100)), "reason": "r"})

    assert (len(command.rules.holidays), len(command.rules.cadence_rules)) == (366, 100)


@pytest.mark.parametrize("document", [rules(holidays=holidays(367)), rules(cadence_rules=table(101))])
def test_cadence_rules_with_more_holidays_or_rules_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="at most 100 cadence rules and 366 holidays"):
        SetCadenceRules.model_validate({"rules": document, "reason": "r"})


def test_a_holiday_outside_the_calendar_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="must lie between"):
        SetCadenceRules.model_validate({"rules": rules(holidays=["1800-01-01"]), "reason": "r"})


def test_a_setting_sent_again_under_its_idempotency_key_records_nothing_more(scenario: Scenario) -> None:
    assert replayed_without_recording(scenario, SetTargetBands(bands=BANDS, reason="smaller team"), NOW)
