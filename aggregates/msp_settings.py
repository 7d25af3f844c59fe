"""The ``MspSettings`` aggregate: the MSP's own rules (scoring policy, target bands, cadence
rules, review lead time), each change an event with the day it takes effect.

One record per tenant, under an id derived from the tenant (like ``MspCalendar``), opened by its
first change: a tenant that never changed a setting has no record and runs on the product's
defaults. The rules checked here are the ones that make a setting meaningful whatever its
source (an API body, the CLI, a test): a change never takes effect before the day it is
recorded (history already reported stays as it was), weights are positive, an answer's factor
never rises as the answer gets worse, a band's low end is not above its high end.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from aggregates.cadence_rules import PlanningRules
from aggregates.errors import InvalidValueError
from aggregates.tenanted import TenantAggregate
from events import msp_settings as ev

PRIORITIES = ("high", "medium", "low")
# Best answer first: a factor never rises along this order.
FACTORS = ("aligned", "marginal", "highly_vulnerable", "unrated")
BANDS = ("clients_per_vcio", "average_mrr", "mrr_per_vcio", "nrr_share_percent")


def check_takes_effect_from_today(effective_on: date, today: date) -> None:
    if effective_on < today:
        raise InvalidValueError("effective_on", f"a setting takes effect from today ({today}) or"
                                                f" later, never before it is recorded")


def check_weights(weights: dict[str, Decimal]) -> None:
    if set(weights) != set(PRIORITIES):
        raise InvalidValueError("weights", f"give a weight for each priority: {', '.join(PRIORITIES)}")
    for priority in PRIORITIES:
        if weights[priority] <= 0:
            raise InvalidValueError(f"weights.{priority}", "a weight is greater than 0")


def check_factors(factors: dict[str, Decimal]) -> None:
    if set(factors) != set(FACTORS):
        raise InvalidValueError("factors", f"give a factor for each outcome: {', '.join(FACTORS)}")
    for name in FACTORS:
        if not Decimal(0) <= factors[name] <= Decimal(1):
            raise InvalidValueError(f"factors.{name}", "a factor is between 0 and 1")
    for better, worse in zip(FACTORS, FACTORS[1:], strict=False):
        if factors[worse] > factors[better]:
            raise InvalidValueError(f"factors.{worse}", f"a {worse} answer cannot earn more than a"
                                                        f" {better} one ({factors[better]})")


def check_bands(bands: dict[str, dict[str, Decimal]]) -> None:
    if set(bands) != set(BANDS):
        raise InvalidValueError("bands", f"give each band: {', '.join(BANDS)}")
    for name in BANDS:
        low, high = bands[name]["low"], bands[name]["high"]
        if low < 0:
            raise InvalidValueError(f"bands.{name}.low", "a band starts at 0 or above")
        if low > high:
            raise InvalidValueError(f"bands.{name}.high", f"the high end is below the low end ({low})")


class MspSettings(TenantAggregate):
    """One MSP's settings that change results, each with the day it takes effect."""

    MspSettingsOpened = ev.MspSettingsOpened
    ScoringPolicySet = ev.ScoringPolicySet
    TargetBandsSet = ev.TargetBandsSet
    CadenceRulesSet = ev.CadenceRulesSet
    ReviewLeadTimeSet = ev.ReviewLeadTimeSet

    @event(MspSettingsOpened)
    def __init__(self, *, tenant: str, by: str) -> None:
        self.tenant = tenant
        self.changes = 0

    def set_scoring_policy(self, *, weights: dict[str, Decimal], factors: dict[str, Decimal],
                           effective_on: date, today: date, reason: str, by: str) -> None:
        check_takes_effect_from_today(effective_on, today)
        check_weights(weights)
        check_factors(factors)
        self._scoring_policy_set(effective_on=effective_on, weights=dict(weights),
                                 factors=dict(factors), reason=reason, by=by)

    @event(ScoringPolicySet)
    def _scoring_policy_set(self, effective_on: date, weights: dict[str, Decimal],
                            factors: dict[str, Decimal], reason: str, by: str) -> None:
        self.changes += 1

    def set_target_bands(self, *, bands: dict[str, dict[str, Decimal]], effective_on: date,
                         today: date, reason: str, by: str) -> None:
        check_takes_effect_from_today(effective_on, today)
        check_bands(bands)
        self._target_bands_set(effective_on=effective_on,
                               bands={k: dict(v) for k, v in bands.items()}, reason=reason, by=by)

    @event(TargetBandsSet)
    def _target_bands_set(self, effective_on: date, bands: dict[str, dict[str, Decimal]],
                          reason: str, by: str) -> None:
        self.changes += 1

    def set_cadence_rules(self, *, rules: PlanningRules, effective_on: date, today: date,
                          reason: str, by: str) -> None:
        """``rules`` were checked when the model was built ("more never gives less")."""
        check_takes_effect_from_today(effective_on, today)
        self._cadence_rules_set(effective_on=effective_on,
                                rules=rules.model_dump(mode="json", exclude_none=True),
                                reason=reason, by=by)

    @event(CadenceRulesSet)
    def _cadence_rules_set(self, effective_on: date, rules: dict[str, Any], reason: str,
                           by: str) -> None:
        self.changes += 1

    def set_review_lead_time(self, *, days: int, effective_on: date, today: date, reason: str,
                             by: str) -> None:
        check_takes_effect_from_today(effective_on, today)
        if not 0 <= days <= 365:
            raise InvalidValueError("days", "a lead time is 0 to 365 days")
        self._review_lead_time_set(effective_on=effective_on, days=days, reason=reason, by=by)

    @event(ReviewLeadTimeSet)
    def _review_lead_time_set(self, effective_on: date, days: int, reason: str, by: str) -> None:
        self.changes += 1
