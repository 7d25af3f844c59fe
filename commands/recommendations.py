"""Recommendation commands: propose, present, approve or decline, reschedule, start, complete.

Only a current decision maker of the client can approve or decline; the handlers pass the
decision maker's id through and the ``Client`` aggregate decides.
"""

from decimal import Decimal
from uuid import UUID

from pydantic import Field

from aggregates.client import Client
from commands import types as t
from commands.base import ChangeCommand
from commands.context import Context
from commands.results import CommandResult
from events.vocabulary import Priority

Title = t.Text
Text = t.OptionalLongText
Money = t.Money
Hours = t.Hours


class ProposeRecommendation(ChangeCommand):
    """``finding_standard_ids`` name misaligned answers of the client's latest completed review
    (empty for a free-standing recommendation); ``target_quarter_start`` is the first day of one
    of the client's fiscal quarters, or None for unscheduled."""

    client_id: UUID
    title: Title
    business_impact: Text = ""
    finding_standard_ids: list[UUID] = Field(default_factory=list, max_length=500)
    one_time_budget: Money = Decimal("0")
    recurring_monthly_budget: Money = Decimal("0")
    estimated_hours: Hours = Decimal("0")
    target_quarter_start: t.Day | None = None
    priority: Priority = Priority.MEDIUM
    owner: Title
    capital_expense: t.Flag = False


class PresentRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    meeting_id: UUID | None = None


class ApproveRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    decision_maker_id: UUID
    approved_at: t.Moment | None = None


class DeclineRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    decision_maker_id: UUID
    reason: t.LongText


class RescheduleRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    target_quarter_start: t.Day | None
    reason: Text = ""


class StartRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    started_at: t.Moment | None = None


class CompleteRecommendation(ChangeCommand):
    client_id: UUID
    recommendation_id: UUID
    completed_at: t.Moment | None = None


def propose_recommendation(cmd: ProposeRecommendation, ctx: Context) -> CommandResult:
    recommendation_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "recommendation")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.propose_recommendation(
            recommendation_id=recommendation_id, title=cmd.title,
            business_impact=cmd.business_impact,
            finding_standard_ids=list(cmd.finding_standard_ids),
            one_time_budget=cmd.one_time_budget,
            recurring_monthly_budget=cmd.recurring_monthly_budget,
            estimated_hours=cmd.estimated_hours, target_quarter_start=cmd.target_quarter_start,
            priority=cmd.priority, owner=cmd.owner, capital_expense=cmd.capital_expense,
            by=ctx.actor.name,
        )
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=recommendation_id)


def present_recommendation(cmd: PresentRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.present_recommendation(recommendation_id=cmd.recommendation_id,
                                      meeting_id=cmd.meeting_id, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def approve_recommendation(cmd: ApproveRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.approve_recommendation(
            recommendation_id=cmd.recommendation_id, decision_maker_id=cmd.decision_maker_id,
            approved_at=cmd.approved_at or ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def decline_recommendation(cmd: DeclineRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.decline_recommendation(
            recommendation_id=cmd.recommendation_id, decision_maker_id=cmd.decision_maker_id,
            reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def reschedule_recommendation(cmd: RescheduleRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.reschedule_recommendation(
            recommendation_id=cmd.recommendation_id, target_quarter_start=cmd.target_quarter_start,
            reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def start_recommendation(cmd: StartRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.start_recommendation(recommendation_id=cmd.recommendation_id,
                                    started_at=cmd.started_at or ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def complete_recommendation(cmd: CompleteRecommendation, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.complete_recommendation(recommendation_id=cmd.recommendation_id,
                                       completed_at=cmd.completed_at or ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
