"""Meeting commands (schedule, set the agenda, hold, reschedule, cancel) and the action items
meetings produce (add, update, complete)."""

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field
from typing_extensions import TypedDict

from aggregates.client import Client
from commands import types as t
from commands.base import ChangeCommand
from commands.context import Context
from commands.results import CommandResult
from events.vocabulary import MeetingKind

Line = t.Text
Text = t.OptionalLongText
Required = t.LongText


class ActionItemFields(TypedDict, total=False):
    """The fields of an action item a change may name (null is refused)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    title: Line
    owner: Line
    next_step: Required
    follow_up_on: t.Day


ActionItemChanges = Annotated[ActionItemFields, AfterValidator(t.json_plain(ActionItemFields))]


class ScheduleMeeting(ChangeCommand):
    client_id: UUID
    kind: MeetingKind
    scheduled_for: t.Moment
    attendees: list[Line] = Field(default_factory=list, max_length=100)


class SetMeetingAgenda(ChangeCommand):
    client_id: UUID
    meeting_id: UUID
    agenda: list[Line] = Field(max_length=100)


class HoldMeeting(ChangeCommand):
    client_id: UUID
    meeting_id: UUID
    held_at: t.Moment | None = None
    summary: Text = ""


class RescheduleMeeting(ChangeCommand):
    client_id: UUID
    meeting_id: UUID
    scheduled_for: t.Moment
    reason: Text = ""


class CancelMeeting(ChangeCommand):
    client_id: UUID
    meeting_id: UUID
    reason: Text = ""


class AddActionItem(ChangeCommand):
    client_id: UUID
    meeting_id: UUID | None = None
    title: Line
    owner: Line
    next_step: Text = ""
    follow_up_on: t.Day


class UpdateActionItem(ChangeCommand):
    """``changes`` maps ``title``, ``owner``, ``next_step`` or ``follow_up_on`` to new values."""

    client_id: UUID
    action_item_id: UUID
    changes: ActionItemChanges


class CompleteActionItem(ChangeCommand):
    client_id: UUID
    action_item_id: UUID
    resolution: Required
    completed_at: t.Moment | None = None


def schedule_meeting(cmd: ScheduleMeeting, ctx: Context) -> CommandResult:
    meeting_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "meeting")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.schedule_meeting(meeting_id=meeting_id, kind=cmd.kind,
                                scheduled_for=cmd.scheduled_for, attendees=list(cmd.attendees),
                                by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=meeting_id)


def set_meeting_agenda(cmd: SetMeetingAgenda, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.set_meeting_agenda(meeting_id=cmd.meeting_id, agenda=list(cmd.agenda), by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def hold_meeting(cmd: HoldMeeting, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.hold_meeting(meeting_id=cmd.meeting_id, held_at=cmd.held_at or ctx.now,
                            summary=cmd.summary, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def reschedule_meeting(cmd: RescheduleMeeting, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.reschedule_meeting(meeting_id=cmd.meeting_id, scheduled_for=cmd.scheduled_for,
                                  reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def cancel_meeting(cmd: CancelMeeting, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.cancel_meeting(meeting_id=cmd.meeting_id, reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def add_action_item(cmd: AddActionItem, ctx: Context) -> CommandResult:
    action_item_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "action-item")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.add_action_item(action_item_id=action_item_id, meeting_id=cmd.meeting_id,
                               title=cmd.title, owner=cmd.owner, next_step=cmd.next_step,
                               follow_up_on=cmd.follow_up_on, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=action_item_id)


def update_action_item(cmd: UpdateActionItem, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.update_action_item(action_item_id=cmd.action_item_id, changes=dict(cmd.changes),
                                  by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def complete_action_item(cmd: CompleteActionItem, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.complete_action_item(action_item_id=cmd.action_item_id, resolution=cmd.resolution,
                                    completed_at=cmd.completed_at or ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
