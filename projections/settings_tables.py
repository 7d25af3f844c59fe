"""The MSP's settings as a table, kept by every read model whose results depend on them.

Each read model keeps its own copy (read models never join across each other). A setting is in
force at an instant once its day has come (from 00:00 UTC) and it has been recorded: a change
dated today is not in force at an earlier hour of today. Among those, the latest day wins, and
on the same day the latest recorded. A read model that applies a setting's results as events arrive (the score
history) sees only the settings recorded before the event it applies, so a rebuild reproduces
what it showed at the time; a setting can never be dated before the day it was recorded. A
tenant with no setting of a kind runs on the product's defaults.
"""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.types.json import Jsonb

from aggregates.cadence_rules import STORED, PlanningRules
from aggregates.msp_settings import MspSettings
from projections.scoring import ScoringPolicy
from projections.targets import DEFAULT_TARGETS, Band, Targets

KINDS: dict[type[Any], str] = {
    MspSettings.ScoringPolicySet: "scoring_policy",
    MspSettings.TargetBandsSet: "target_bands",
    MspSettings.CadenceRulesSet: "cadence_rules",
    MspSettings.ReviewLeadTimeSet: "review_lead_time",
    MspSettings.FinancialDefaultsSet: "financial_defaults",
}
SETTINGS_TOPICS = tuple(get_topic(cls) for cls in KINDS)
POLICY_TOPICS = (get_topic(MspSettings.ScoringPolicySet),)
# What each kind records besides its day, reason and author.
PAYLOAD_FIELDS = {"scoring_policy": ("weights", "factors"), "target_bands": ("bands",),
                  "cadence_rules": ("rules",), "review_lead_time": ("days",),
                  "financial_defaults": ("currency", "fiscal_year_start_month")}

IN_FORCE_SQL = """
SELECT payload FROM msp_settings
WHERE tenant = %s AND kind = %s AND effective_on <= %s AND recorded_at <= %s
ORDER BY effective_on DESC, position DESC LIMIT 1"""


def create_settings_table(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE msp_settings (
            position bigint PRIMARY KEY, tenant text NOT NULL, kind text NOT NULL,
            effective_on date NOT NULL, recorded_at timestamptz NOT NULL, payload jsonb NOT NULL,
            reason text NOT NULL, by text NOT NULL)""")
    cur.execute("CREATE INDEX ON msp_settings (tenant, kind, effective_on)")


def plain(value: Any) -> Any:
    """Decimals as text inside the stored document (jsonb numbers would lose their scale)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def apply_settings_event(cur: Cursor[Any], event: Any, position: int) -> bool:
    """Record a setting; False when the event is not one."""
    kind = KINDS.get(type(event))
    if kind is None:
        return False
    payload = {name: plain(getattr(event, name)) for name in PAYLOAD_FIELDS[kind]}
    cur.execute("INSERT INTO msp_settings (position, tenant, kind, effective_on, recorded_at,"
                " payload, reason, by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (position) DO NOTHING",
                (position, event.tenant, kind, event.effective_on, event.timestamp, Jsonb(payload),
                 event.reason, event.by))
    return True


def in_force(cur: Cursor[Any], tenant: str, kind: str, at: datetime) -> dict[str, Any] | None:
    """The payload of the setting of ``kind`` in force at ``at``; None: the defaults hold."""
    cur.execute(IN_FORCE_SQL, (tenant, kind, at.astimezone(UTC).date(), at))
    row = cur.fetchone()
    return None if row is None else dict(row[0])


# Two settings in force, each at its own instant, in one statement (one round trip).
BOTH_IN_FORCE_SQL = "SELECT (" + IN_FORCE_SQL + "), (" + IN_FORCE_SQL + ")"


def both_in_force(cur: Cursor[Any], tenant: str, first: tuple[str, datetime],
                  second: tuple[str, datetime]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The payloads of two settings (kind, instant) in force, as ``in_force`` reads each."""
    cur.execute(BOTH_IN_FORCE_SQL, tuple(value for kind, at in (first, second)
                                         for value in (tenant, kind, at.astimezone(UTC).date(), at)))
    row = cur.fetchone()
    if row is None:
        raise RuntimeError("SELECT of two scalar subqueries answered no row")
    return (None if row[0] is None else dict(row[0])), (None if row[1] is None else dict(row[1]))


def policy_from(payload: dict[str, Any]) -> ScoringPolicy:
    factors = {name: Decimal(value) for name, value in payload["factors"].items()}
    return ScoringPolicy(
        weights={name: Decimal(value) for name, value in payload["weights"].items()},
        aligned=factors["aligned"], marginal=factors["marginal"],
        highly_vulnerable=factors["highly_vulnerable"], unrated=factors["unrated"])


def targets_from(payload: dict[str, Any]) -> Targets:
    bands = {name: Band(Decimal(band["low"]), Decimal(band["high"]))
             for name, band in payload["bands"].items()}
    return replace(DEFAULT_TARGETS, **bands)  # bands added later keep their defaults


def rules_from(payload: dict[str, Any]) -> PlanningRules:
    return PlanningRules.model_validate(payload["rules"], context={STORED: True})
