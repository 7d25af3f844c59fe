"""The per-MSP cadence rules: the brief's worked rows, overrides, and rules as data."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from aggregates.cadence_state import CadenceOverride
from schedulers.cadence_rules import Cadence, PlanningRules, default_rules


def test_client_a_meets_quarterly_with_one_touch_a_month() -> None:
    cadence = default_rules().cadence_for(Decimal("3000"), 24, 5)

    assert (cadence.meetings_per_year, cadence.touches_per_month) == (4, 1)


def test_client_b_meets_quarterly_with_one_touch_a_month_despite_twice_the_mrr() -> None:
    cadence = default_rules().cadence_for(Decimal("6500"), 52, 3)

    assert (cadence.meetings_per_year, cadence.touches_per_month) == (4, 1)


def test_client_c_meets_every_other_month_with_two_touches_because_it_is_complex() -> None:
    cadence = default_rules().cadence_for(Decimal("1500"), 12, 8)

    assert (cadence.meetings_per_year, cadence.touches_per_month) == (6, 2)


def test_the_cadence_names_the_rule_it_came_from() -> None:
    assert default_rules().cadence_for(Decimal("1500"), 12, 8).source == "rule:complex"


def test_an_override_wins_over_the_rules() -> None:
    override = CadenceOverride(meetings_per_year=12, touches_per_month=3, reason="merger year")

    cadence = default_rules().cadence_for(Decimal("3000"), 24, 5, override)

    assert cadence == Cadence(12, 3, "override")


def test_an_msp_s_own_table_replaces_the_defaults() -> None:
    rules = PlanningRules.from_json("""{"cadence_rules": [
        {"name": "big", "when": {"users": {"min": 50}}, "meetings_per_year": 12,
         "touches_per_month": 4},
        {"name": "everyone", "meetings_per_year": 2, "touches_per_month": 1}]}""")

    assert rules.cadence_for(Decimal("6500"), 52, 3) == Cadence(12, 4, "rule:big")
    assert rules.cadence_for(Decimal("3000"), 24, 5) == Cadence(2, 1, "rule:everyone")


def test_ranges_include_their_minimum_and_exclude_their_upper_bound() -> None:
    rules = PlanningRules.from_json("""{"cadence_rules": [
        {"name": "band", "when": {"mrr": {"min": "1000", "below": "2000"}},
         "meetings_per_year": 6, "touches_per_month": 2},
        {"name": "rest", "meetings_per_year": 4, "touches_per_month": 1}]}""")

    assert rules.cadence_for(Decimal("1000"), 1, 1).source == "rule:band"
    assert rules.cadence_for(Decimal("2000"), 1, 1).source == "rule:rest"


def test_rules_without_a_fallback_row_are_refused() -> None:
    with pytest.raises(ValidationError, match="fallback"):
        PlanningRules.from_json("""{"cadence_rules": [
            {"name": "complex", "when": {"complexity": {"min": 8}}, "meetings_per_year": 6,
             "touches_per_month": 2}]}""")


def test_stored_rules_read_back_the_same() -> None:
    rules = default_rules()

    assert PlanningRules.from_json(rules.to_json()) == rules
