"""Events of the MSP's own rules: each setting that changes results is recorded with the day it
takes effect, so every read model (and a rebuild) finds the rule that was in force at any time.

A setting never takes effect before the day it was recorded: history already reported is never
rewritten by a later change. A setting recorded with a later ``effective_on`` is a scheduled
change; until that day the setting before it stays in force. Values are plain JSON-friendly
data (Decimal numbers, strings, whole numbers), the shapes named on each event.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from events.base import TenantCreated, TenantEvent


class MspSettingsOpened(TenantCreated):
    """The MSP's settings record was opened (by its first change; until then the defaults hold)."""

    by: str


class ScoringPolicySet(TenantEvent):
    """``weights``: priority (high, medium, low) -> weight; ``factors``: aligned, marginal,
    highly_vulnerable, unrated -> the share of the weight such an answer earns."""

    effective_on: date
    weights: dict[str, Decimal]
    factors: dict[str, Decimal]
    reason: str
    by: str


class TargetBandsSet(TenantEvent):
    """``bands``: band name (clients_per_vcio, average_mrr, mrr_per_vcio, nrr_share_percent) ->
    ``{"low": Decimal, "high": Decimal}``, both inclusive."""

    effective_on: date
    bands: dict[str, dict[str, Decimal]]
    reason: str
    by: str


class CadenceRulesSet(TenantEvent):
    """``rules``: the planning rules as JSON (the shape of ``aggregates/default_rules.json``),
    checked ("more never gives less") before they were recorded."""

    effective_on: date
    rules: dict[str, Any]
    reason: str
    by: str


class ReviewLeadTimeSet(TenantEvent):
    """How many days before a strategy meeting a client's due review areas should be done."""

    effective_on: date
    days: int
    reason: str
    by: str


class FinancialDefaultsSet(TenantEvent):
    """``currency``: the ISO 4217 code budgets and revenue are shown in; ``fiscal_year_start_month``:
    the month (1-12) a new client's fiscal year starts in unless it says otherwise, and the MSP's
    own budget quarters."""

    effective_on: date
    currency: str
    fiscal_year_start_month: int
    reason: str
    by: str
