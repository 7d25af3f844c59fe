"""A client's cadence as its next plan uses it, and why: the override wins over the MSP's rule
table; the rules' own answer and the client's meeting preference are given beside it."""

from dataclasses import dataclass
from decimal import Decimal

from aggregates.cadence_rules import Cadence, PlanningRules
from aggregates.cadence_state import CadenceOverride, MeetingPreference
from schedulers.client_cadence import client_cadence

RULES = PlanningRules.model_validate({"cadence_rules": [
    {"name": "large", "when": {"mrr": {"min": "5000"}}, "meetings_per_year": 12, "touches_per_month": 4},
    {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}]})


@dataclass(frozen=True)
class Profile:
    mrr: Decimal = Decimal("6000")
    user_count: int = 40
    complexity: int = 3
    override_meetings_per_year: int | None = None
    override_touches_per_month: int | None = None
    override_reason: str | None = None
    preferred_weekday: int | None = None
    preferred_time: str | None = None
    timezone: str | None = None


def test_without_an_override_the_first_matching_rule_gives_the_cadence() -> None:
    answer = client_cadence(RULES, Profile())

    assert (answer.cadence, answer.by_rules, answer.override) == (
        Cadence(12, 4, "rule:large"), Cadence(12, 4, "rule:large"), None)


def test_a_client_below_the_first_rule_gets_the_next_matching_rule() -> None:
    answer = client_cadence(RULES, Profile(mrr=Decimal("4999.99")))

    assert answer.cadence == Cadence(4, 1, "rule:standard")


def test_an_override_wins_over_the_rules_which_are_still_given_beside_it() -> None:
    answer = client_cadence(RULES, Profile(override_meetings_per_year=6, override_touches_per_month=2,
                                           override_reason="growing fast"))

    assert (answer.cadence, answer.by_rules, answer.override) == (
        Cadence(6, 2, "override"), Cadence(12, 4, "rule:large"), CadenceOverride(6, 2, "growing fast"))


def test_an_override_without_a_reason_has_an_empty_one() -> None:
    answer = client_cadence(RULES, Profile(override_meetings_per_year=0, override_touches_per_month=0))

    assert answer.override == CadenceOverride(0, 0, "")
    assert answer.cadence == Cadence(0, 0, "override")


def test_half_an_override_is_no_override() -> None:
    answers = [client_cadence(RULES, Profile(override_meetings_per_year=6)),
               client_cadence(RULES, Profile(override_touches_per_month=2))]

    assert [(a.override, a.cadence.source) for a in answers] == [(None, "rule:large"), (None, "rule:large")]


def test_a_client_who_named_a_time_zone_has_a_meeting_preference() -> None:
    answer = client_cadence(RULES, Profile(preferred_weekday=2, preferred_time="09:30",
                                           timezone="Europe/Paris"))

    assert answer.meeting_preference == MeetingPreference(2, "09:30", "Europe/Paris")


def test_a_client_without_a_time_zone_has_no_meeting_preference() -> None:
    answer = client_cadence(RULES, Profile(preferred_weekday=2, preferred_time="09:30"))

    assert answer.meeting_preference is None


def test_the_rules_read_the_clients_user_count_and_complexity() -> None:
    rules = PlanningRules.model_validate({"cadence_rules": [
        {"name": "busy", "when": {"users": {"min": 50}, "complexity": {"min": 4}}, "meetings_per_year": 6,
         "touches_per_month": 2},
        {"name": "standard", "meetings_per_year": 4, "touches_per_month": 1}]})

    answers = [client_cadence(rules, Profile(user_count=users, complexity=complexity)).cadence.source
               for users, complexity in ((50, 4), (49, 4), (50, 3))]

    assert answers == ["rule:busy", "rule:standard", "rule:standard"]
