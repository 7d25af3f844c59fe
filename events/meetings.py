"""Events of meetings with a client (planned, agenda set, held, rescheduled, cancelled) and of the
action items they produce (added, updated, completed).

An action item may stand alone (``meeting_id`` None), e.g. one raised on a call.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from events.base import TenantEvent
from events.vocabulary import MeetingKind


class MeetingScheduled(TenantEvent):
    meeting_id: UUID
    kind: MeetingKind
    scheduled_for: datetime
    attendees: list[str]
    by: str


class MeetingAgendaSet(TenantEvent):
    """The whole agenda, replacing any earlier one."""

    meeting_id: UUID
    agenda: list[str]
    by: str


class MeetingHeld(TenantEvent):
    meeting_id: UUID
    held_at: datetime
    summary: str
    by: str


class MeetingRescheduled(TenantEvent):
    meeting_id: UUID
    scheduled_for: datetime
    reason: str
    by: str


class MeetingCancelled(TenantEvent):
    meeting_id: UUID
    reason: str
    by: str


class MeetingRestored(TenantEvent):
    """A meeting cancelled by the client's offboarding is planned again: the client came back
    before its day (recorded in the re-onboarding's save)."""

    meeting_id: UUID
    reason: str
    by: str


class ActionItemAdded(TenantEvent):
    action_item_id: UUID
    meeting_id: UUID | None
    title: str
    owner: str
    next_step: str
    follow_up_on: date
    by: str


class ActionItemUpdated(TenantEvent):
    """``changes`` maps each changed field (``title``, ``owner``, ``next_step``,
    ``follow_up_on``) to its new value, JSON-plain: ``follow_up_on`` is an ISO date string."""

    action_item_id: UUID
    changes: dict[str, Any]
    by: str


class ActionItemCompleted(TenantEvent):
    action_item_id: UUID
    resolution: str
    completed_at: datetime
    by: str
