"""Commands of the relationship between meetings: log a unique touch, record client feedback."""

from uuid import UUID

from pydantic import Field

from aggregates.client import Client
from commands import types as t
from commands.base import ChangeCommand
from commands.context import Context
from commands.results import CommandResult
from events.vocabulary import TouchKind

Text = t.OptionalLongText
Role = t.OptionalText


class LogTouch(ChangeCommand):
    """With a decision maker, give ``decision_maker_id`` (the touch counts toward cadence);
    with anyone else, give only their ``contact_role`` ("office manager"), never a name."""

    client_id: UUID
    kind: TouchKind
    decision_maker_id: UUID | None = None
    contact_role: Role = ""
    happened_at: t.Moment | None = None
    note: Text = ""


class RecordClientFeedback(ChangeCommand):
    client_id: UUID
    accepted_recommendation_ids: list[UUID] = Field(default_factory=list, max_length=500)
    declined_reasons: dict[UUID, Text] = Field(default_factory=dict, max_length=500)
    changes_requested: Text = ""
    new_initiatives: list[t.Reason] = Field(
        default_factory=list, max_length=100)
    recorded_at: t.Moment | None = None


def log_touch(cmd: LogTouch, ctx: Context) -> CommandResult:
    touch_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "touch")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.log_touch(touch_id=touch_id, kind=cmd.kind, decision_maker_id=cmd.decision_maker_id,
                         contact_role=cmd.contact_role, happened_at=cmd.happened_at or ctx.now,
                         note=cmd.note, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=touch_id)


def record_client_feedback(cmd: RecordClientFeedback, ctx: Context) -> CommandResult:
    feedback_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "feedback")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.record_feedback(
            feedback_id=feedback_id,
            accepted_recommendation_ids=list(cmd.accepted_recommendation_ids),
            declined_reasons=dict(cmd.declined_reasons), changes_requested=cmd.changes_requested,
            new_initiatives=list(cmd.new_initiatives), recorded_at=cmd.recorded_at or ctx.now,
            by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=feedback_id)
