"""The per-MSP cadence rules: the brief's worked rows, overrides, and rules as data."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from aggregates.cadence_rules import Cadence, PlanningRules, default_rules
from aggregates.cadence_state import CadenceOverride
from projections.touch_cadence import default_touches_per_month


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
        {"name": "big", "when": {"mrr": {"min": "2000"}}, "meetings_per_year": 12,
         "touches_per_month": 4},
        {"name": "rest", "meetings_per_year": 4, "touches_per_month": 1}]}""")

    assert rules.cadence_for(Decimal("1000"), 1, 1).source == "rule:band"
    assert rules.cadence_for(Decimal("2000"), 1, 1).source == "rule:big"


def test_rules_without_a_fallback_row_are_refused() -> None:
    with pytest.raises(ValidationError, match="fallback"):
        PlanningRules.from_json("""{"cadence_rules": [
            {"name": "complex", "when": {"complexity": {"min": 8}}, "meetings_per_year": 6,
             "touches_per_month": 2}]}""")


def test_stored_rules_read_back_the_same() -> None:
    rules = default_rules()

    assert PlanningRules.from_json(rules.to_json()) == rules


def test_a_rule_set_where_more_complexity_gives_fewer_meetings_is_refused_naming_both_rows() -> None:
    with pytest.raises(ValidationError, match="rows 'large' and 'complex'"):
        PlanningRules.from_json("""{"cadence_rules": [
            {"name": "complex", "when": {"complexity": {"min": 8}}, "meetings_per_year": 6,
             "touches_per_month": 2},
            {"name": "large", "when": {"mrr": {"min": "15000"}}, "meetings_per_year": 12,
             "touches_per_month": 2},
            {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}]}""")


def test_a_rule_set_where_more_users_gives_fewer_touches_is_refused_naming_both_rows() -> None:
    with pytest.raises(ValidationError, match="rows 'few-users' and 'standard'"):
        PlanningRules.from_json("""{"cadence_rules": [
            {"name": "few-users", "when": {"users": {"below": 20}}, "meetings_per_year": 4,
             "touches_per_month": 3},
            {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}]}""")


def test_the_default_rules_never_give_a_bigger_client_fewer_meetings_or_touches() -> None:
    rules = default_rules()
    complex_large = rules.cadence_for(Decimal("20000"), 24, 9)
    plain_large = rules.cadence_for(Decimal("20000"), 24, 5)

    assert (complex_large.meetings_per_year, complex_large.touches_per_month) >= (
        plain_large.meetings_per_year, plain_large.touches_per_month)
    assert complex_large.meetings_per_year == 12


def test_rules_already_stored_load_even_if_they_break_the_check() -> None:
    text = """{"cadence_rules": [
        {"name": "few-users", "when": {"users": {"below": 20}}, "meetings_per_year": 4,
         "touches_per_month": 3},
        {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}]}"""

    assert PlanningRules.stored(text).cadence_for(Decimal("3000"), 10, 5).touches_per_month == 3


def test_the_touch_target_of_a_client_never_planned_comes_from_the_default_rules() -> None:
    rows = [(Decimal("3000"), 24, 5), (Decimal("6500"), 52, 3), (Decimal("1500"), 12, 8),
            (Decimal("20000"), 24, 5)]

    assert [default_touches_per_month(*row) for row in rows] == [1, 1, 2, 2]
