"""The ``MspSettings`` aggregate: the MSP's own rules (scoring policy, target bands, cadence
rules, review lead time, currency and fiscal year), each change an event with the day it takes
effect and the instant it was recorded (the event's timestamp is the command's ``now``).

One record per tenant, under an id derived from the tenant (like ``MspCalendar``), opened by its
first change: a tenant that never changed a setting has no record and runs on the product's
defaults. The rules checked here are the ones that make a setting meaningful whatever its
source (an API body, the CLI, a test): a change never takes effect before the day it is
recorded (history already reported stays as it was), weights are positive, an answer's factor
never rises as the answer gets worse, a band's low end is not above its high end.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from aggregates.cadence_rules import PlanningRules
from aggregates.currencies import CURRENCIES
from aggregates.errors import InvalidValueError
from aggregates.tenanted import TenantAggregate
from events import msp_settings as ev

PRIORITIES = ("high", "medium", "low")
# Best answer first: a factor never rises along this order.
FACTORS = ("aligned", "marginal", "highly_vulnerable", "unrated")
BANDS = ("clients_per_vcio", "average_mrr", "mrr_per_vcio", "nrr_share_percent")
# Added later: a change that leaves them out keeps the ones in force (else the defaults).
WORKLOAD_BANDS = ("touches_per_vcio_month", "meetings_per_vcio_month")


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
    if not set(BANDS) <= set(bands) <= set(BANDS + WORKLOAD_BANDS):
        raise InvalidValueError("bands", f"give each band: {', '.join(BANDS)}"
                                         f" (and optionally {', '.join(WORKLOAD_BANDS)})")
    for name in bands:
        low, high = bands[name]["low"], bands[name]["high"]
        if low < 0:
            raise InvalidValueError(f"bands.{name}.low", "a band starts at 0 or above")
        if low > high:
            raise InvalidValueError(f"bands.{name}.high", f"the high end is below the low end ({low})")


def check_currency(currency: str) -> None:
    if currency not in CURRENCIES:
        raise InvalidValueError("currency", "is not a circulating ISO 4217 currency code, such as"
                                            " USD or EUR")


def check_fiscal_year_start_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidValueError("fiscal_year_start_month", "must be a month number 1-12")


def latest_on(dated: list[tuple[date, Any]], day: date) -> Any | None:
    """The value of the latest day on or before ``day`` (the latest recorded on a tie)."""
    in_force = [(effective_on, n) for n, (effective_on, _) in enumerate(dated) if effective_on <= day]
    return dated[max(in_force)[1]][1] if in_force else None


class MspSettings(TenantAggregate):
    """One MSP's settings that change results, each with the day it takes effect.

    It keeps the dated values its own decisions need (the bands a change leaves out, the fiscal
    year a new client starts with); read models keep the rest."""

    MspSettingsOpened = ev.MspSettingsOpened
    ScoringPolicySet = ev.ScoringPolicySet
    TargetBandsSet = ev.TargetBandsSet
    CadenceRulesSet = ev.CadenceRulesSet
    ReviewLeadTimeSet = ev.ReviewLeadTimeSet
    FinancialDefaultsSet = ev.FinancialDefaultsSet

    @event(MspSettingsOpened)
    def __init__(self, *, tenant: str, by: str) -> None:
        self.tenant = tenant
        self.changes = 0
        self.dated_bands: list[tuple[date, dict[str, dict[str, Decimal]]]] = []
        self.dated_financial: list[tuple[date, tuple[str, int]]] = []

    def fiscal_year_start_month_on(self, day: date) -> int | None:
        """The MSP's default fiscal year start in force on ``day`` (None: never set)."""
        found = latest_on(self.dated_financial, day)
        return None if found is None else int(found[1])

    def currency_on(self, day: date) -> str | None:
        found = latest_on(self.dated_financial, day)
        return None if found is None else str(found[0])

    def set_scoring_policy(self, *, weights: dict[str, Decimal], factors: dict[str, Decimal],
                           effective_on: date, today: date, reason: str, by: str,
                           recorded_at: datetime | None = None) -> None:
        check_takes_effect_from_today(effective_on, today)
        check_weights(weights)
        check_factors(factors)
        self._scoring_policy_set(effective_on=effective_on, weights=dict(weights),
                                 factors=dict(factors), reason=reason, by=by, timestamp=recorded_at)

    @event(ScoringPolicySet)
    def _scoring_policy_set(self, effective_on: date, weights: dict[str, Decimal],
                            factors: dict[str, Decimal], reason: str, by: str,
                            timestamp: datetime | None) -> None:
        self.changes += 1

    def set_target_bands(self, *, bands: dict[str, dict[str, Decimal]], effective_on: date,
                         today: date, reason: str, by: str, recorded_at: datetime | None = None) -> None:
        """A workload band left out keeps the one in force on ``effective_on`` (if any)."""
        check_takes_effect_from_today(effective_on, today)
        check_bands(bands)
        kept = latest_on(self.dated_bands, effective_on) or {}
        complete = {**{k: v for k, v in kept.items() if k in WORKLOAD_BANDS},
                    **{k: dict(v) for k, v in bands.items()}}
        self._target_bands_set(effective_on=effective_on, bands=complete, reason=reason, by=by,
                               timestamp=recorded_at)

    @event(TargetBandsSet)
    def _target_bands_set(self, effective_on: date, bands: dict[str, dict[str, Decimal]],
                          reason: str, by: str, timestamp: datetime | None) -> None:
        self.changes += 1
        self.dated_bands = [*self.dated_bands, (effective_on, bands)]

    def set_cadence_rules(self, *, rules: PlanningRules, effective_on: date, today: date,
                          reason: str, by: str, recorded_at: datetime | None = None) -> None:
        """``rules`` were checked when the model was built ("more never gives less")."""
        check_takes_effect_from_today(effective_on, today)
        self._cadence_rules_set(effective_on=effective_on,
                                rules=rules.model_dump(mode="json", exclude_none=True),
                                reason=reason, by=by, timestamp=recorded_at)

    @event(CadenceRulesSet)
    def _cadence_rules_set(self, effective_on: date, rules: dict[str, Any], reason: str,
                           by: str, timestamp: datetime | None) -> None:
        self.changes += 1

    def set_review_lead_time(self, *, days: int, effective_on: date, today: date, reason: str,
                             by: str, recorded_at: datetime | None = None) -> None:
        check_takes_effect_from_today(effective_on, today)
        if not 0 <= days <= 365:
            raise InvalidValueError("days", "a lead time is 0 to 365 days")
        self._review_lead_time_set(effective_on=effective_on, days=days, reason=reason, by=by,
                                   timestamp=recorded_at)

    @event(ReviewLeadTimeSet)
    def _review_lead_time_set(self, effective_on: date, days: int, reason: str, by: str,
                              timestamp: datetime | None) -> None:
        self.changes += 1

    def set_financial_defaults(self, *, currency: str, fiscal_year_start_month: int,
                               effective_on: date, today: date, reason: str, by: str,
                               recorded_at: datetime | None = None) -> None:
        """The currency budgets are shown in and the fiscal year a new client starts with."""
        check_takes_effect_from_today(effective_on, today)
        check_currency(currency)
        check_fiscal_year_start_month(fiscal_year_start_month)
        self._financial_defaults_set(effective_on=effective_on, currency=currency,
                                     fiscal_year_start_month=fiscal_year_start_month, reason=reason,
                                     by=by, timestamp=recorded_at)

    @event(FinancialDefaultsSet)
    def _financial_defaults_set(self, effective_on: date, currency: str, fiscal_year_start_month: int,
                                reason: str, by: str, timestamp: datetime | None) -> None:
        self.changes += 1
        self.dated_financial = [*self.dated_financial, (effective_on, (currency, fiscal_year_start_month))]
