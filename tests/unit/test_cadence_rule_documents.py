"""An MSP's cadence rule document: malformed ones are refused naming the field, good ones load
with their defaults, and a broken 'more never gives less' is explained point by point."""

import json
from datetime import time
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from aggregates.cadence_rules import (
    CadenceRule,
    Conditions,
    PlanningRules,
    Range,
    bounds,
    default_rules,
    describe,
    grid_steps,
)

FALLBACK = {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}


def document(rules: list[dict[str, Any]] | None = None, **settings: Any) -> str:
    return json.dumps({"cadence_rules": rules if rules is not None else [FALLBACK], **settings})


def refusal(text: str) -> tuple[tuple[str | int, ...], str]:
    with pytest.raises(ValidationError) as refused:
        PlanningRules.from_json(text)
    error = refused.value.errors()[0]
    return tuple(error["loc"]), error["msg"]


@pytest.mark.parametrize("bounds_", [{"min": "5000", "below": "1000"}, {"min": "5000", "below": "5000"}])
def test_an_inverted_or_empty_range_is_refused_naming_its_rule_and_dimension(bounds_: dict[str, str]) -> None:
    rows = [{"name": "band", "when": {"mrr": bounds_}, "meetings_per_year": 6, "touches_per_month": 2},
            FALLBACK]

    loc, message = refusal(document(rows))

    assert (loc, message) == (("cadence_rules", 0, "when", "mrr"),
                              "Value error, 'below' must be greater than 'min'")


def test_a_range_one_step_wide_is_accepted() -> None:
    rows = [{"name": "band", "when": {"users": {"min": 5, "below": 6}}, "meetings_per_year": 6,
             "touches_per_month": 2}, {**FALLBACK, "meetings_per_year": 6, "touches_per_month": 2}]

    assert PlanningRules.from_json(document(rows)).cadence_for(Decimal(0), 5, 1).source == "rule:band"


def test_two_rules_with_the_same_name_are_refused_naming_the_rule_list() -> None:
    rows = [{**FALLBACK, "when": {"users": {"min": 10}}}, FALLBACK]

    loc, message = refusal(document(rows))

    assert (loc, message) == (("cadence_rules",), "Value error, cadence rule names must be distinct")


def test_a_rule_list_without_a_fallback_is_refused_naming_the_rule_list() -> None:
    loc, message = refusal(document([{**FALLBACK, "when": {"users": {"min": 10}}}]))

    assert (loc, message) == (("cadence_rules",), "Value error, the last cadence rule must have no"
                              " conditions (it is the fallback)")


def test_an_empty_rule_list_is_refused() -> None:
    assert refusal(document([]))[0] == ("cadence_rules",)


@pytest.mark.parametrize(("field", "value"), [
    ("meetings_per_year", -1), ("meetings_per_year", 53), ("touches_per_month", -1),
    ("touches_per_month", 32), ("name", ""), ("name", "x" * 61),
])
def test_a_rule_field_out_of_range_is_refused_naming_it(field: str, value: Any) -> None:
    loc, _ = refusal(document([{**FALLBACK, field: value}]))

    assert loc == ("cadence_rules", 0, field)


@pytest.mark.parametrize(("field", "value"), [
    ("committee_meetings_per_year", -1), ("committee_meetings_per_year", 53),
    ("library_review_month", 0), ("library_review_month", 13),
    ("min_lead_days", -1), ("min_lead_days", 91), ("meeting_time", "25:00"), ("holidays", ["2027-02-30"]),
])
def test_a_plan_setting_out_of_range_is_refused_naming_it(field: str, value: Any) -> None:
    loc, _ = refusal(document(**{field: value}))

    assert loc[0] == field


@pytest.mark.parametrize(("field", "value"), [
    ("committee_meetings_per_year", 0), ("committee_meetings_per_year", 52),
    ("library_review_month", 1), ("library_review_month", 12), ("min_lead_days", 0), ("min_lead_days", 90),
])
def test_a_plan_setting_on_its_limit_is_accepted(field: str, value: int) -> None:
    assert getattr(PlanningRules.from_json(document(**{field: value})), field) == value


@pytest.mark.parametrize(("field", "value"), [("meetings_per_year", 0), ("meetings_per_year", 52),
                                              ("touches_per_month", 0), ("touches_per_month", 31),
                                              ("name", "x" * 60)])
def test_a_rule_field_on_its_limit_is_accepted(field: str, value: Any) -> None:
    rules = PlanningRules.from_json(document([{**FALLBACK, field: value}]))

    assert getattr(rules.cadence_rules[0], field) == value


def test_an_unknown_field_is_refused_naming_it() -> None:
    assert refusal(document(colour="red"))[0] == ("colour",)


def test_an_unknown_condition_is_refused_naming_it() -> None:
    loc, _ = refusal(document([{**FALLBACK, "when": {"revenue": {"min": 1}}}]))

    assert loc == ("cadence_rules", 0, "when", "revenue")


def test_an_unknown_time_zone_is_refused_naming_the_timezone() -> None:
    loc, message = refusal(document(timezone="Mars/Olympus_Mons"))

    assert (loc, message) == (("timezone",), "Value error, unknown time zone 'Mars/Olympus_Mons'"
                              " (use an IANA name such as 'Europe/Amsterdam')")


def test_a_known_time_zone_is_accepted() -> None:
    assert PlanningRules.from_json(document(timezone="Europe/Amsterdam")).timezone == "Europe/Amsterdam"


def test_a_document_with_only_rules_takes_the_default_plan_settings() -> None:
    rules = PlanningRules.from_json(document())

    assert (rules.committee_meetings_per_year, rules.library_review_month, rules.meeting_time,
            rules.timezone, rules.min_lead_days, rules.holidays) == (4, 11, time(10, 0), "UTC", 7, [])


def test_the_refusal_of_a_rule_set_names_the_two_clients_compared() -> None:
    rows = [{"name": "few-users", "when": {"users": {"below": 20}}, "meetings_per_year": 4,
             "touches_per_month": 3}, FALLBACK]

    _, message = refusal(document(rows))

    assert message == (
        "Value error, rows 'few-users' and 'standard' break 'more never gives less': a client at MRR"
        " 0, 0 users, complexity 1 gets 4 meetings a year and 3 touches a month from 'few-users', but"
        " with more users (MRR 0, 20 users, complexity 1) only 4 and 1 from 'standard'")


def test_more_mrr_giving_fewer_meetings_is_refused() -> None:
    rows = [{"name": "small", "when": {"mrr": {"below": "1000"}}, "meetings_per_year": 6,
             "touches_per_month": 1}, FALLBACK]

    assert "more mrr (MRR 1000, 0 users, complexity 1)" in refusal(document(rows))[1]


def test_more_complexity_at_the_top_of_the_scale_giving_fewer_touches_is_refused() -> None:
    rows = [{"name": "nine", "when": {"complexity": {"below": 10}}, "meetings_per_year": 4,
             "touches_per_month": 2}, FALLBACK]

    assert "complexity 10)" in refusal(document(rows))[1]


def test_a_change_above_complexity_ten_is_never_compared() -> None:
    rows = [{"name": "eleven", "when": {"complexity": {"below": 11}}, "meetings_per_year": 4,
             "touches_per_month": 2}, FALLBACK]

    assert PlanningRules.from_json(document(rows)).cadence_for(Decimal(0), 1, 10).touches_per_month == 2


def test_a_rule_set_where_more_gives_more_is_accepted() -> None:
    rows = [{"name": "big", "when": {"mrr": {"min": "5000"}, "users": {"min": 50}},
             "meetings_per_year": 12, "touches_per_month": 4}, FALLBACK]

    assert PlanningRules.from_json(document(rows)).cadence_for(Decimal("5000"), 50, 1).source == "rule:big"


def test_rules_read_from_the_store_are_not_checked_again() -> None:
    rows = [{"name": "few-users", "when": {"users": {"below": 20}}, "meetings_per_year": 4,
             "touches_per_month": 3}, FALLBACK]

    assert PlanningRules.stored(document(rows)).rule_for(Decimal(0), 19, 1).name == "few-users"


def test_bounds_start_at_the_lowest_value_and_round_counted_dimensions_up() -> None:
    rules = [CadenceRule(name="a", when=Conditions(users=Range(min=Decimal("4.2")),
                                                   complexity=Range(below=Decimal(12))),
                         meetings_per_year=4, touches_per_month=1)]

    assert (bounds(rules, "users"), bounds(rules, "complexity"), bounds(rules, "mrr")) == (
        [Decimal(0), Decimal(5)], [Decimal(1)], [Decimal(0)])


def test_mrr_bounds_keep_their_cents() -> None:
    rules = [CadenceRule(name="a", when=Conditions(mrr=Range(min=Decimal("999.50"), below=Decimal(2000))),
                         meetings_per_year=4, touches_per_month=1)]

    assert bounds(rules, "mrr") == [Decimal(0), Decimal("999.50"), Decimal(2000)]


def test_the_grid_pairs_each_point_with_its_next_neighbour_up_in_each_dimension() -> None:
    rules = [CadenceRule(name="a", when=Conditions(mrr=Range(min=Decimal(100)), users=Range(min=Decimal(3))),
                         meetings_per_year=4, touches_per_month=1)]

    steps = list(grid_steps(rules))

    assert steps == [
        ((Decimal(0), 0, 1), (Decimal(100), 0, 1), "mrr"),
        ((Decimal(0), 0, 1), (Decimal(0), 3, 1), "users"),
        ((Decimal(0), 3, 1), (Decimal(100), 3, 1), "mrr"),
        ((Decimal(100), 0, 1), (Decimal(100), 3, 1), "users"),
    ]


def test_a_point_is_described_in_words() -> None:
    assert describe((Decimal("1500.00"), 12, 8)) == "MRR 1500.00, 12 users, complexity 8"


@pytest.mark.parametrize(("value", "holds"), [(Decimal(999), False), (Decimal(1000), True),
                                              (Decimal(1999), True), (Decimal(2000), False)])
def test_a_range_holds_from_its_minimum_up_to_below_its_upper_bound(value: Decimal, holds: bool) -> None:
    assert Range(min=Decimal(1000), below=Decimal(2000)).holds(value) is holds


def test_an_open_range_holds_for_any_value() -> None:
    assert Range().holds(Decimal(-5)) and Range().holds(Decimal(10**9))


def test_conditions_hold_only_when_every_range_holds() -> None:
    conditions = Conditions(mrr=Range(min=Decimal(1000)), users=Range(below=Decimal(10)),
                            complexity=Range(min=Decimal(5)))

    assert [conditions.hold(Decimal(1000), 9, 5), conditions.hold(Decimal(999), 9, 5),
            conditions.hold(Decimal(1000), 10, 5), conditions.hold(Decimal(1000), 9, 4)] == [
        True, False, False, False]


@pytest.mark.parametrize("dimension", ["mrr", "users", "complexity"])
def test_conditions_with_any_range_do_not_match_everyone(dimension: str) -> None:
    assert Conditions(**{dimension: Range(min=Decimal(1))}).matches_all is False


def test_the_default_small_row_needs_all_three_of_its_ranges() -> None:
    rules = default_rules()

    assert [rules.cadence_for(Decimal(999), 9, 3).source, rules.cadence_for(Decimal(999), 9, 4).source] == [
        "rule:small", "rule:standard"]


def test_rules_written_out_leave_unset_ranges_out() -> None:
    text = PlanningRules.from_json(document()).to_json()

    assert "null" not in text and json.loads(text)["cadence_rules"] == [{**FALLBACK, "when": {}}]


def test_the_rule_for_a_client_takes_an_integer_mrr_as_money() -> None:
    rows = [{"name": "big", "when": {"mrr": {"min": "5000"}}, "meetings_per_year": 12,
             "touches_per_month": 2}, FALLBACK]

    assert PlanningRules.from_json(document(rows)).rule_for(5000, 1, 1).name == "big"  # type: ignore[arg-type]


def test_rules_read_from_the_store_keep_a_time_zone_saved_before_it_was_checked() -> None:
    assert PlanningRules.stored(document(timezone="Mars/Olympus_Mons")).timezone == "Mars/Olympus_Mons"


def test_the_grid_steps_from_each_bound_to_the_next_one_not_back_to_the_first() -> None:
    rules = [CadenceRule(name="a", when=Conditions(mrr=Range(min=Decimal(100), below=Decimal(200))),
                         meetings_per_year=4, touches_per_month=1)]

    assert [(low[0], high[0]) for low, high, _ in grid_steps(rules)] == [
        (Decimal(0), Decimal(100)), (Decimal(100), Decimal(200))]


def test_rules_are_written_out_indented_for_people_to_read() -> None:
    assert PlanningRules.from_json(document()).to_json().startswith('{\n  "cadence_rules": [\n')
