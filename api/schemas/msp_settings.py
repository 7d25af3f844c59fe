"""The MSP's settings: what an admin sends to change one, and the settings in force."""

from datetime import date

from pydantic import BaseModel, Field

from aggregates.cadence_rules import CadenceRule
from api.schemas.common import CommandBody, ViewModel
from api.schemas.strategy_public import TargetsPublic
from commands.msp_settings import (
    PriorityWeights,
    RatingFactors,
    SetCadenceRules,
    SetFinancialDefaults,
    SetReviewLeadTime,
    SetScoringPolicy,
    SetTargetBands,
)
from projections.msp_settings import SettingChange, SettingsInForce


class ScoringPolicyPut(CommandBody, command=SetScoringPolicy):
    """Weights per priority and factors per outcome, from ``effective_on`` (default today)."""


class ScoringPolicyProposal(CommandBody, command=SetScoringPolicy, omit=("effective_on", "reason")):
    """A policy to replay the latest reviews under; nothing is recorded."""

    # Named again (same types and defaults as the command) because the route reads them
    # without making a command: a proposal is never sent to the bus.
    weights: PriorityWeights = PriorityWeights()
    factors: RatingFactors = RatingFactors()


class TargetBandsPut(CommandBody, command=SetTargetBands):
    """The dashboard's target bands (inclusive), from ``effective_on`` (default today)."""


class CadenceRulesPut(CommandBody, command=SetCadenceRules):
    """The planning rules, from ``effective_on`` (default today); more never gives less."""


class ReviewLeadTimePut(CommandBody, command=SetReviewLeadTime):
    """Days before a strategy meeting a client's due review areas should be done."""


class FinancialDefaultsPut(CommandBody, command=SetFinancialDefaults):
    """The currency (ISO 4217) budgets are shown in and the month a fiscal year starts in (a new
    client's unless it names its own, and the MSP's budget quarters)."""


class SettingsPublic(ViewModel, view=SettingsInForce):
    """The MSP's rules in force at an instant."""

    targets: TargetsPublic  # declared in strategy_public, where the dashboard shows it too


class SettingChangePublic(ViewModel, view=SettingChange):
    """One recorded change of a setting, who made it, when it takes effect and why."""


class SettingChangesPublic(BaseModel):
    """A paging envelope, not a view."""

    data: list[SettingChangePublic]
    count: int


class CadenceRulesPublic(BaseModel):
    """The planning rules in force, the shape ``PUT /settings/cadence-rules`` takes.

    Written out rather than derived from ``PlanningRules``: its ``meeting_time`` is a local time
    of day in ``timezone``, sent as ``HH:MM:SS``, which JSON Schema's "time" format (a time with
    an offset) would misdescribe."""

    cadence_rules: list[CadenceRule]
    committee_meetings_per_year: int
    library_review_month: int
    meeting_time: str = Field(pattern=r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
    timezone: str
    min_lead_days: int
    holidays: list[date]
