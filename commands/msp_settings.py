"""The MSP's own rules: set the scoring policy, the target bands, the cadence rules, the review
lead time, the currency and fiscal year. Each change is an event on the tenant's ``MspSettings``
with the day it takes effect (today when the command names none); the record is opened by its
first change.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, TypedDict
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, field_validator

from aggregates.cadence_rules import CadenceRule, PlanningRules
from aggregates.currencies import CURRENCIES
from aggregates.errors import NotFoundError
from aggregates.msp_settings import MspSettings
from commands import types as t
from commands.base import Command, CommandPart
from commands.context import Context
from commands.ledger import Ledger
from commands.results import Actor, CommandResult

Weight = Annotated[Decimal, Field(gt=0, le=1000, max_digits=8, decimal_places=4, allow_inf_nan=False),
                   BeforeValidator(t.plain_amount)]
Factor = Annotated[Decimal, Field(ge=0, le=1, max_digits=5, decimal_places=4, allow_inf_nan=False),
                   BeforeValidator(t.plain_amount)]
def known_currency(code: str) -> str:
    if code not in CURRENCIES:
        raise ValueError("is not a circulating ISO 4217 currency code, such as USD or EUR")
    return code


Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False),
                   BeforeValidator(t.plain_amount)]


class PriorityWeights(CommandPart):
    """The weight of a standard by its priority (the brief's defaults: 5, 3, 1)."""

    high: Weight = Decimal(5)
    medium: Weight = Decimal(3)
    low: Weight = Decimal(1)


class RatingFactors(CommandPart):
    """The share of its weight an answer earns (defaults 1, 0.5, 0; unrated counts as 0)."""

    aligned: Factor = Decimal(1)
    marginal: Factor = Decimal("0.5")
    highly_vulnerable: Factor = Decimal(0)
    unrated: Factor = Decimal(0)


class Band(CommandPart):
    low: Amount
    high: Amount


class TargetBands(CommandPart):
    """The workload bands may be left out: the ones in force then stay (else the defaults)."""

    clients_per_vcio: Band
    average_mrr: Band
    mrr_per_vcio: Band
    nrr_share_percent: Band
    touches_per_vcio_month: Band | None = None
    meetings_per_vcio_month: Band | None = None


class SetScoringPolicy(Command):
    effective_on: t.Day | None = None
    reason: t.Reason
    weights: PriorityWeights = PriorityWeights()
    factors: RatingFactors = RatingFactors()


class SetTargetBands(Command):
    effective_on: t.Day | None = None
    reason: t.Reason
    bands: TargetBands


LIMIT_MAX = Decimal(10) ** 12


def check_limits(rule: CadenceRule) -> None:
    """A row's limits are amounts a client can have: 0 up to a trillion (not -5 or 1e999999)."""
    for dimension in ("mrr", "users", "complexity"):
        limits = getattr(rule.when, dimension)
        for end in ("min", "below"):
            value = None if limits is None else getattr(limits, end)
            if value is not None and not Decimal(0) <= value <= LIMIT_MAX:
                raise ValueError(f"row '{rule.name}': {dimension} {end} must be between 0 and"
                                 f" {LIMIT_MAX:,}")


class SetCadenceRules(Command):
    """The planning rules (the shape of ``aggregates/default_rules.json``), refused naming both
    rows when more MRR, users or complexity would give a client fewer meetings or touches."""

    effective_on: t.Day | None = None
    reason: t.Reason
    rules: PlanningRules

    @field_validator("rules")
    @classmethod
    def plain_names_and_known_timezone(cls, rules: PlanningRules) -> PlanningRules:
        for rule in rules.cadence_rules:
            t.single_line(rule.name)
            check_limits(rule)
        try:
            ZoneInfo(rules.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {rules.timezone!r}") from None
        if len(rules.holidays) > 366 or len(rules.cadence_rules) > 100:
            raise ValueError("at most 100 cadence rules and 366 holidays")
        for holiday in rules.holidays:
            t.day_in_range(holiday)
        return rules


class SetReviewLeadTime(Command):
    effective_on: t.Day | None = None
    reason: t.Reason
    days: Annotated[int, Field(ge=0, le=365), BeforeValidator(t.not_a_bool)]


class SetFinancialDefaults(Command):
    """The currency (ISO 4217, such as USD) and the month a fiscal year starts in by default."""

    effective_on: t.Day | None = None
    reason: t.Reason
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(known_currency)]
    fiscal_year_start_month: t.Month


def msp_settings_id(ledger: Ledger, actor: Actor) -> UUID:
    """The tenant's one settings record, under an id every process derives alike."""
    return ledger.new_id(actor, "msp-settings", "msp-settings")


def load_or_open(ctx: Context) -> MspSettings:
    settings_id = msp_settings_id(ctx.ledger, ctx.actor)
    try:
        return ctx.ledger.load(ctx.actor, MspSettings, settings_id, "msp_settings")
    except NotFoundError:
        return MspSettings.create_with_id(settings_id, tenant=ctx.actor.tenant, by=ctx.actor.name)


SettingCommand = (SetScoringPolicy | SetTargetBands | SetCadenceRules | SetReviewLeadTime
                  | SetFinancialDefaults)


class Dated(TypedDict):
    """What every setting change records beside its values."""

    effective_on: date
    today: date
    reason: str
    by: str
    recorded_at: datetime


def record_setting(cmd: SettingCommand, ctx: Context,
                   change: Callable[[MspSettings, Dated], None]) -> CommandResult:
    """Open the tenant's settings (on its first change), apply ``change`` dated from the
    command's day, or today: a setting never takes effect before it is recorded. The command's
    ``now`` is the instant recorded: the read models put the setting in force from the later
    of that instant and the start (UTC) of its day."""

    def decide() -> MspSettings:
        settings = load_or_open(ctx)
        today = ctx.now.date()
        change(settings, Dated(effective_on=cmd.effective_on or today, today=today,
                               reason=cmd.reason, by=ctx.actor.name, recorded_at=ctx.now))
        return settings

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def set_scoring_policy(cmd: SetScoringPolicy, ctx: Context) -> CommandResult:
    return record_setting(cmd, ctx, lambda settings, dated: settings.set_scoring_policy(
        weights=cmd.weights.model_dump(), factors=cmd.factors.model_dump(), **dated))


def set_target_bands(cmd: SetTargetBands, ctx: Context) -> CommandResult:
    return record_setting(cmd, ctx, lambda settings, dated: settings.set_target_bands(
        bands=cmd.bands.model_dump(exclude_none=True), **dated))


def set_cadence_rules(cmd: SetCadenceRules, ctx: Context) -> CommandResult:
    return record_setting(cmd, ctx, lambda settings, dated: settings.set_cadence_rules(
        rules=cmd.rules, **dated))


def set_review_lead_time(cmd: SetReviewLeadTime, ctx: Context) -> CommandResult:
    return record_setting(cmd, ctx, lambda settings, dated: settings.set_review_lead_time(
        days=cmd.days, **dated))


def set_financial_defaults(cmd: SetFinancialDefaults, ctx: Context) -> CommandResult:
    return record_setting(cmd, ctx, lambda settings, dated: settings.set_financial_defaults(
        currency=cmd.currency, fiscal_year_start_month=cmd.fiscal_year_start_month, **dated))


def fiscal_year_start_month_in_force(ctx: Context, day: date) -> int:
    """The MSP's default fiscal year start on ``day`` (January when it never set one)."""
    try:
        settings = ctx.ledger.load(ctx.actor, MspSettings, msp_settings_id(ctx.ledger, ctx.actor),
                                   "msp_settings")
    except NotFoundError:
        return 1
    return settings.fiscal_year_start_month_on(day) or 1
