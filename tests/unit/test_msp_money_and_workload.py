"""The MSP's currency and fiscal year, its touch and meeting bands, and the instant a setting
is recorded: the ``MspSettings`` aggregate through the real handlers."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from aggregates.errors import InvalidValueError
from aggregates.msp_settings import MspSettings
from commands.clients import OnboardClient
from commands.msp_settings import SetFinancialDefaults, SetTargetBands, msp_settings_id
from commands.results import Actor
from tests.unit.scenario import Scenario

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BANDS: dict[str, Any] = {
    "clients_per_vcio": {"low": 30, "high": 40}, "average_mrr": {"low": 2500, "high": 3500},
    "mrr_per_vcio": {"low": 100000, "high": 130000}, "nrr_share_percent": {"low": 20, "high": 30}}
WORKLOAD = {"touches_per_vcio_month": {"low": 30, "high": 60},
            "meetings_per_vcio_month": {"low": 8, "high": 16}}


def admin(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "ada.admin", "admin")


def recorded(scenario: Scenario) -> list[Any]:
    return list(scenario.ledger.events.get(msp_settings_id(scenario.ledger, admin(scenario))))


def set_money(scenario: Scenario, **fields: Any) -> None:
    values = {"currency": "EUR", "fiscal_year_start_month": 7, "reason": "we moved to Dublin", **fields}
    scenario.bus.handle(SetFinancialDefaults(**values), admin(scenario), NOW)


def onboard(scenario: Scenario, now: datetime, **fields: Any) -> Any:
    result = scenario.bus.handle(OnboardClient(
        name="Client A", mrr=Decimal(3000), user_count=24, complexity=5, industry="legal",
        vcio="vera.vcio", tam="tom.tam", **fields), scenario.vcio, now)
    return scenario.ledger.load_client(scenario.vcio, result.aggregate_id)


def test_currency_and_fiscal_year_are_recorded_with_their_day_and_author(scenario: Scenario) -> None:
    set_money(scenario, effective_on=date(2027, 1, 1))

    change = recorded(scenario)[-1]

    assert isinstance(change, MspSettings.FinancialDefaultsSet)
    assert (change.currency, change.fiscal_year_start_month, change.effective_on, change.by) == (
        "EUR", 7, date(2027, 1, 1), "ada.admin")


def test_a_setting_is_stamped_with_the_instant_of_the_command_that_recorded_it(
        scenario: Scenario) -> None:
    set_money(scenario)

    assert recorded(scenario)[-1].timestamp == NOW


@pytest.mark.parametrize("currency", ["XXX", "usd", "EURO", "", "US\x00", "XAU"])
def test_a_currency_that_is_not_a_circulating_iso_4217_code_is_refused_naming_currency(
        currency: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SetFinancialDefaults(currency=currency, fiscal_year_start_month=1, reason="r")

    assert [e["loc"] for e in refused.value.errors()] == [("currency",)]


@pytest.mark.parametrize("month", [0, 13, 10**20, True, "", None])
def test_a_fiscal_year_month_outside_1_to_12_is_refused_naming_it(month: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        SetFinancialDefaults(currency="USD", fiscal_year_start_month=month, reason="r")

    assert [e["loc"] for e in refused.value.errors()] == [("fiscal_year_start_month",)]


def test_the_aggregate_refuses_an_unknown_currency_whatever_its_source(scenario: Scenario) -> None:
    settings = MspSettings(tenant=scenario.tenant, by="ada.admin")

    with pytest.raises(InvalidValueError, match="currency"):
        settings.set_financial_defaults(currency="ABC", fiscal_year_start_month=1, effective_on=NOW.date(),
                                        today=NOW.date(), reason="r", by="ada.admin")


def test_a_refused_currency_records_nothing(scenario: Scenario) -> None:
    settings = MspSettings(tenant=scenario.tenant, by="ada.admin")
    settings.collect_events()

    with pytest.raises(InvalidValueError):
        settings.set_financial_defaults(currency="ABC", fiscal_year_start_month=1, effective_on=NOW.date(),
                                        today=NOW.date(), reason="r", by="ada.admin")

    assert settings.collect_events() == []


def test_a_new_client_without_a_fiscal_year_starts_it_in_the_msps_month(scenario: Scenario) -> None:
    set_money(scenario, fiscal_year_start_month=4)

    client = onboard(scenario, NOW)

    assert client.fiscal_year_start_month == 4


def test_a_new_client_onboarded_before_the_msps_change_takes_effect_keeps_january(
        scenario: Scenario) -> None:
    set_money(scenario, fiscal_year_start_month=4, effective_on=date(2027, 1, 1))

    client = onboard(scenario, NOW + timedelta(days=1))

    assert client.fiscal_year_start_month == 1


def test_a_new_client_that_names_its_fiscal_year_keeps_it(scenario: Scenario) -> None:
    set_money(scenario, fiscal_year_start_month=4)

    client = onboard(scenario, NOW, fiscal_year_start_month=10)

    assert client.fiscal_year_start_month == 10


def test_a_new_client_of_an_msp_that_never_set_its_fiscal_year_starts_in_january(
        scenario: Scenario) -> None:
    client = onboard(scenario, NOW)

    assert client.fiscal_year_start_month == 1


def test_touch_and_meeting_bands_are_recorded_with_the_other_bands(scenario: Scenario) -> None:
    scenario.bus.handle(SetTargetBands(bands={**BANDS, **WORKLOAD}, reason="smaller clients"),
                        admin(scenario), NOW)

    bands = recorded(scenario)[-1].bands

    assert (bands["touches_per_vcio_month"], bands["meetings_per_vcio_month"]) == (
        {"low": Decimal(30), "high": Decimal(60)}, {"low": Decimal(8), "high": Decimal(16)})


def test_bands_sent_without_the_workload_bands_keep_the_ones_in_force(scenario: Scenario) -> None:
    scenario.bus.handle(SetTargetBands(bands={**BANDS, **WORKLOAD}, reason="first"), admin(scenario), NOW)

    scenario.bus.handle(SetTargetBands(bands=BANDS, reason="only the MRR"), admin(scenario), NOW)

    assert recorded(scenario)[-1].bands["touches_per_vcio_month"] == {"low": Decimal(30), "high": Decimal(60)}


def test_bands_sent_without_the_workload_bands_never_set_record_none_of_them(
        scenario: Scenario) -> None:
    scenario.bus.handle(SetTargetBands(bands=BANDS, reason="first"), admin(scenario), NOW)

    assert set(recorded(scenario)[-1].bands) == set(BANDS)


def test_a_touch_band_whose_high_end_is_below_its_low_end_is_refused_naming_it(
        scenario: Scenario) -> None:
    settings = MspSettings(tenant=scenario.tenant, by="ada.admin")
    bands = {name: {end: Decimal(v) for end, v in band.items()} for name, band in
             {**BANDS, "touches_per_vcio_month": {"low": 50, "high": 40}}.items()}

    with pytest.raises(InvalidValueError, match=r"bands\.touches_per_vcio_month\.high"):
        settings.set_target_bands(bands=bands, effective_on=NOW.date(), today=NOW.date(), reason="r",
                                  by="ada.admin")


def test_an_unknown_band_is_refused_naming_bands(scenario: Scenario) -> None:
    settings = MspSettings(tenant=scenario.tenant, by="ada.admin")
    bands = {name: {end: Decimal(v) for end, v in band.items()} for name, band in
             {**BANDS, "golf_rounds": {"low": 1, "high": 2}}.items()}

    with pytest.raises(InvalidValueError, match="bands"):
        settings.set_target_bands(bands=bands, effective_on=NOW.date(), today=NOW.date(), reason="r",
                                  by="ada.admin")
