"""Cadence and annual-plan commands: override a client's cadence (or clear it), set when a client
likes to meet, record a year's meeting plan for a client or for the standards committee, and
give the scheduler's once-only notices (a review area due or overdue, an action item overdue).

Handlers that record a moment take ``now`` apart from the command, so that a retried command
with the same idempotency key has the same fingerprint whatever the clock says. The meetings of
a plan get ids derived from the key: a plan retried, or written by two processes at once, names
the same meetings.
"""

from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, field_validator

from aggregates.cadence_state import MAX_MEETINGS_PER_YEAR, MAX_TOUCHES_PER_MONTH, PlannedMeeting
from aggregates.client import Client
from aggregates.errors import NotFoundError
from aggregates.msp_calendar import MspCalendar
from commands import types as t
from commands.base import ChangeCommand, Command, CommandPart
from commands.context import Context
from commands.ledger import Ledger
from commands.results import Actor, CommandResult
from events.vocabulary import MeetingKind

Reason = t.Reason
Line = t.Text
MeetingsPerYear = Annotated[int, Field(ge=0, le=MAX_MEETINGS_PER_YEAR), BeforeValidator(t.not_a_bool)]
TouchesPerMonth = Annotated[int, Field(ge=0, le=MAX_TOUCHES_PER_MONTH), BeforeValidator(t.not_a_bool)]
FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 2000, 2200
Year = Annotated[int, Field(ge=FIRST_PLAN_YEAR, le=LAST_PLAN_YEAR), BeforeValidator(t.not_a_bool)]


class OverrideClientCadence(ChangeCommand):
    client_id: UUID
    meetings_per_year: MeetingsPerYear
    touches_per_month: TouchesPerMonth
    reason: Reason


class ClearClientCadenceOverride(ChangeCommand):
    client_id: UUID
    reason: Reason


class SetMeetingPreference(ChangeCommand):
    """``weekday`` 1 (Monday) to 5 (Friday); ``time_of_day`` as HH:MM in ``timezone``."""

    client_id: UUID
    weekday: Annotated[int, Field(ge=1, le=5), BeforeValidator(t.not_a_bool)] | None = None
    time_of_day: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: t.Key = "UTC"

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class ProposedMeeting(CommandPart):
    kind: MeetingKind
    scheduled_for: t.Moment


class PlanClientMeetings(ChangeCommand):
    client_id: UUID
    year: Year
    period_start: t.Day
    meetings: list[ProposedMeeting] = Field(max_length=MAX_MEETINGS_PER_YEAR)
    meetings_per_year: MeetingsPerYear
    touches_per_month: TouchesPerMonth
    cadence_source: Line


class PlanCommitteeMeetings(Command):
    year: Year
    period_start: t.Day
    meetings: list[ProposedMeeting] = Field(max_length=MAX_MEETINGS_PER_YEAR)
    library_review_at: t.Moment | None = None


class NoticeReviewArea(ChangeCommand):
    client_id: UUID
    category: Line
    frequency_months: Annotated[int, Field(ge=1, le=120), BeforeValidator(t.not_a_bool)]
    last_reviewed_on: t.Day | None
    due_on: t.Day | None
    overdue: t.Flag


class NoticeOverdueActionItem(ChangeCommand):
    client_id: UUID
    action_item_id: UUID


def override_client_cadence(cmd: OverrideClientCadence, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.override_cadence(meetings_per_year=cmd.meetings_per_year,
                                touches_per_month=cmd.touches_per_month, reason=cmd.reason,
                                by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def clear_client_cadence_override(cmd: ClearClientCadenceOverride, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.clear_cadence_override(reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def set_meeting_preference(cmd: SetMeetingPreference, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.set_meeting_preference(weekday=cmd.weekday, time_of_day=cmd.time_of_day,
                                      timezone=cmd.timezone, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def planned_meetings(ledger: Ledger, actor: Actor, idempotency_key: str | None,
                     meetings: list[ProposedMeeting]) -> list[PlannedMeeting]:
    return [PlannedMeeting(ledger.new_id(actor, idempotency_key, f"meeting-{n}"), m.kind,
                           m.scheduled_for) for n, m in enumerate(meetings, start=1)]


def plan_client_meetings(cmd: PlanClientMeetings, ctx: Context) -> CommandResult:
    meetings = planned_meetings(ctx.ledger, ctx.actor, ctx.idempotency_key, cmd.meetings)

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.schedule_meeting_plan(
            year=cmd.year, period_start=cmd.period_start, meetings=meetings,
            meetings_per_year=cmd.meetings_per_year, touches_per_month=cmd.touches_per_month,
            cadence_source=cmd.cadence_source, planned_as_of=ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def msp_calendar_id(ledger: Ledger, actor: Actor) -> UUID:
    """The tenant's one calendar, under an id every process derives alike."""
    return ledger.new_id(actor, "msp-calendar", "msp-calendar")


def load_msp_calendar(ledger: Ledger, actor: Actor) -> MspCalendar | None:
    try:
        return ledger.load(actor, MspCalendar, msp_calendar_id(ledger, actor), "msp_calendar")
    except NotFoundError:
        return None


def plan_committee_meetings(cmd: PlanCommitteeMeetings, ctx: Context) -> CommandResult:
    meetings = planned_meetings(ctx.ledger, ctx.actor, ctx.idempotency_key, cmd.meetings)
    review_id = (ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "library-review")
                 if cmd.library_review_at is not None else None)

    def decide() -> MspCalendar:
        calendar = load_msp_calendar(ctx.ledger, ctx.actor) or MspCalendar.create_with_id(
            msp_calendar_id(ctx.ledger, ctx.actor), tenant=ctx.actor.tenant, by=ctx.actor.name)
        calendar.schedule_committee_plan(
            year=cmd.year, period_start=cmd.period_start, meetings=meetings,
            library_review_id=review_id, library_review_at=cmd.library_review_at,
            planned_as_of=ctx.now, by=ctx.actor.name)
        return calendar

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def notice_review_area(cmd: NoticeReviewArea, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.notice_review_area(
            category=cmd.category, frequency_months=cmd.frequency_months,
            last_reviewed_on=cmd.last_reviewed_on, due_on=cmd.due_on, overdue=cmd.overdue,
            noticed_at=ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def notice_overdue_action_item(cmd: NoticeOverdueActionItem, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.notice_overdue_action_item(action_item_id=cmd.action_item_id, noticed_at=ctx.now,
                                          by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
