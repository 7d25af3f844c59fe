"""Read model: which of the MSP's own rules are in force, and who changed them, when and why?

Answers the rules in force at any instant (scoring policy, target bands, cadence rules, review
lead time, currency and fiscal year), falling back to the product's defaults for a tenant that
never changed one, and the list of every change with its day, author and reason (each change is
an event, so this list is the audit of the MSP's settings).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from psycopg import Cursor

from aggregates.cadence_rules import PlanningRules, default_rules
from aggregates.currencies import DEFAULT_CURRENCY
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.reviews_due import DEFAULT_LEAD_DAYS
from projections.scoring import DEFAULT_POLICY, ScoringPolicy
from projections.settings_tables import (
    SETTINGS_TOPICS,
    apply_settings_event,
    both_in_force,
    create_settings_table,
    in_force,
    policy_from,
    rules_from,
    targets_from,
)
from projections.targets import DEFAULT_TARGETS, Targets


class MspSettingsProjection(Projection):
    name = "msp_settings"
    topics = SETTINGS_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_settings_table(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_settings_event(cur, event, position)


@dataclass(frozen=True)
class SettingChange:
    """One recorded change: ``values`` is the setting as recorded (amounts as text)."""

    kind: str
    effective_on: date
    recorded_at: datetime
    by: str
    reason: str
    values: dict[str, Any]


@dataclass(frozen=True)
class SettingsInForce:
    """The MSP's rules in force at ``at`` (the defaults where it never set its own)."""

    at: datetime
    weights: dict[str, Decimal]
    factors: dict[str, Decimal]
    targets: Targets
    review_lead_days: int
    own_cadence_rules: bool
    currency: str
    fiscal_year_start_month: int


class MspSettingsView:
    """Typed queries over the MSP's settings; every answer falls back to the defaults.

    Every query answers by instant: a setting is in force at ``at`` once its day has begun
    (00:00 UTC) and it has been recorded, so a read earlier on the day a change was recorded
    still shows the setting before it."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def _in_force(self, tenant: str, kind: str, at: datetime) -> dict[str, Any] | None:
        with self.reader.cursor(MspSettingsProjection.name) as cur:
            return in_force(cur, tenant, kind, at)

    def scoring_policy(self, tenant: str, at: datetime) -> ScoringPolicy:
        return _policy(self._in_force(tenant, "scoring_policy", at))

    def target_bands(self, tenant: str, at: datetime) -> Targets:
        return _targets(self._in_force(tenant, "target_bands", at))

    def cadence_rules(self, tenant: str, at: datetime) -> PlanningRules | None:
        """The rules recorded as events; None when the MSP never recorded any (the scheduler
        then uses the rules of its store, which are the defaults unless set before events)."""
        payload = self._in_force(tenant, "cadence_rules", at)
        return None if payload is None else rules_from(payload)

    def cadence_rules_or_defaults(self, tenant: str, at: datetime) -> PlanningRules:
        return self.cadence_rules(tenant, at) or default_rules()

    def dashboard_settings(self, cur: Cursor[Any], tenant: str, now: datetime,
                           today_at: datetime) -> tuple[Targets, PlanningRules]:
        """The target bands in force at ``now`` and the cadence rules at ``today_at`` (what the
        vCIO dashboard places its figures against), read on ``cur``: the caller's transaction,
        pointed at this read model, so that the dashboard reads settings and figures at once."""
        self.reader.use(cur, MspSettingsProjection.name)
        bands, rules = both_in_force(cur, tenant, ("target_bands", now), ("cadence_rules", today_at))
        return _targets(bands), (default_rules() if rules is None else rules_from(rules))

    def review_lead_days(self, tenant: str, at: datetime) -> int:
        return _lead_days(self._in_force(tenant, "review_lead_time", at))

    def currency(self, tenant: str, at: datetime) -> str:
        return _currency(self._in_force(tenant, "financial_defaults", at))

    def fiscal_year_start_month(self, tenant: str, at: datetime) -> int:
        """The MSP's default fiscal year start (its own budget's quarters; January by default)."""
        return _fiscal_month(self._in_force(tenant, "financial_defaults", at))

    def in_force(self, tenant: str, at: datetime) -> SettingsInForce:
        """Every setting at ``at``, read in one transaction (each kind once)."""
        with self.reader.cursor(MspSettingsProjection.name) as cur:
            found = {kind: in_force(cur, tenant, kind, at) for kind in (
                "scoring_policy", "target_bands", "review_lead_time", "cadence_rules",
                "financial_defaults")}
        policy = _policy(found["scoring_policy"])
        return SettingsInForce(
            at=at, weights=dict(policy.weights),
            factors={"aligned": policy.aligned, "marginal": policy.marginal,
                     "highly_vulnerable": policy.highly_vulnerable, "unrated": policy.unrated},
            targets=_targets(found["target_bands"]),
            review_lead_days=_lead_days(found["review_lead_time"]),
            own_cadence_rules=found["cadence_rules"] is not None,
            currency=_currency(found["financial_defaults"]),
            fiscal_year_start_month=_fiscal_month(found["financial_defaults"]))

    def changes(self, tenant: str) -> list[SettingChange]:
        """Every change of the MSP's settings, in the order recorded."""
        with self.reader.cursor(MspSettingsProjection.name) as cur:
            cur.execute("SELECT kind, effective_on, recorded_at, by, reason, payload"
                        " FROM msp_settings WHERE tenant = %s ORDER BY position", (tenant,))
            return [SettingChange(r[0], r[1], r[2], r[3], r[4], dict(r[5])) for r in cur.fetchall()]


def _policy(payload: dict[str, Any] | None) -> ScoringPolicy:
    return DEFAULT_POLICY if payload is None else policy_from(payload)


def _targets(payload: dict[str, Any] | None) -> Targets:
    return DEFAULT_TARGETS if payload is None else targets_from(payload)


def _lead_days(payload: dict[str, Any] | None) -> int:
    return DEFAULT_LEAD_DAYS if payload is None else int(payload["days"])


def _currency(payload: dict[str, Any] | None) -> str:
    return DEFAULT_CURRENCY if payload is None else str(payload["currency"])


def _fiscal_month(payload: dict[str, Any] | None) -> int:
    return 1 if payload is None else int(payload["fiscal_year_start_month"])
