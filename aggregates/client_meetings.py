"""The ``Client`` aggregate's meetings and the action items that come out of them.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). An action item may stand alone
(``meeting_id`` None), but one tied to a meeting must name a meeting that was not cancelled.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_state import ClientState
from aggregates.errors import DuplicateIdError, InvalidValueError, NotFoundError
from aggregates.strategy_state import ActionItemState, MeetingState
from events import meetings as mev
from events.vocabulary import MeetingKind, MeetingStatus


def meeting(self: ClientState, meeting_id: UUID) -> MeetingState:
    try:
        return self.meetings[meeting_id]
    except KeyError:
        raise NotFoundError("meeting_id", "no such meeting for this client") from None


def schedule_meeting(self: ClientState, *, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                     attendees: list[str], by: str) -> None:
    if meeting_id in self.meetings:
        raise DuplicateIdError("meeting_id", "a meeting with this id exists")
    self._meeting_scheduled(meeting_id=meeting_id, kind=MeetingKind(kind),
                            scheduled_for=scheduled_for, attendees=list(attendees), by=by)


@event(mev.MeetingScheduled)
def _meeting_scheduled(self: ClientState, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                       attendees: list[str], by: str) -> None:
    self.meetings[meeting_id] = MeetingState(meeting_id, kind, scheduled_for)


def set_meeting_agenda(self: ClientState, *, meeting_id: UUID, agenda: list[str], by: str) -> None:
    self.meeting(meeting_id).check_is_planned()
    self._meeting_agenda_set(meeting_id=meeting_id, agenda=list(agenda), by=by)


@event(mev.MeetingAgendaSet)
def _meeting_agenda_set(self: ClientState, meeting_id: UUID, agenda: list[str], by: str) -> None:
    pass


def hold_meeting(self: ClientState, *, meeting_id: UUID, held_at: datetime, summary: str,
                 by: str) -> None:
    self.meeting(meeting_id).check_is_planned()
    self._meeting_held(meeting_id=meeting_id, held_at=held_at, summary=summary, by=by)


@event(mev.MeetingHeld)
def _meeting_held(self: ClientState, meeting_id: UUID, held_at: datetime, summary: str, by: str) -> None:
    self.meetings[meeting_id].status = MeetingStatus.HELD


def reschedule_meeting(self: ClientState, *, meeting_id: UUID, scheduled_for: datetime, reason: str,
                       by: str) -> None:
    meeting = self.meeting(meeting_id)
    meeting.check_is_planned()
    if meeting.scheduled_for == scheduled_for:
        raise InvalidValueError("scheduled_for", "is already the meeting's time")
    self._meeting_rescheduled(meeting_id=meeting_id, scheduled_for=scheduled_for,
                              reason=reason, by=by)


@event(mev.MeetingRescheduled)
def _meeting_rescheduled(self: ClientState, meeting_id: UUID, scheduled_for: datetime, reason: str,
                         by: str) -> None:
    self.meetings[meeting_id].scheduled_for = scheduled_for


def cancel_meeting(self: ClientState, *, meeting_id: UUID, reason: str, by: str) -> None:
    self.meeting(meeting_id).check_is_planned()
    self._meeting_cancelled(meeting_id=meeting_id, reason=reason, by=by)


@event(mev.MeetingCancelled)
def _meeting_cancelled(self: ClientState, meeting_id: UUID, reason: str, by: str) -> None:
    meeting = self.meetings[meeting_id]
    meeting.status = MeetingStatus.CANCELLED
    # Every meeting planned from the offboarding's day was cancelled by the offboarding itself
    # (no other cancellation can reach it afterwards), so a re-onboarding knows what to restore.
    if self.offboarded_on is not None and meeting.scheduled_for.date() >= self.offboarded_on:
        self.cancelled_by_offboarding = self.cancelled_by_offboarding | {meeting_id}


@event(mev.MeetingRestored)
def _meeting_restored(self: ClientState, meeting_id: UUID, reason: str, by: str) -> None:
    self.meetings[meeting_id].status = MeetingStatus.PLANNED


def action_item(self: ClientState, action_item_id: UUID) -> ActionItemState:
    try:
        return self.action_items[action_item_id]
    except KeyError:
        raise NotFoundError("action_item_id", "no such action item for this client") from None


def add_action_item(self: ClientState, *, action_item_id: UUID, meeting_id: UUID | None, title: str,
                    owner: str, next_step: str, follow_up_on: date, by: str) -> None:
    if action_item_id in self.action_items:
        raise DuplicateIdError("action_item_id", "an action item with this id exists")
    if meeting_id is not None:
        self.meeting(meeting_id).check_is_not_cancelled()
    self._action_item_added(action_item_id=action_item_id, meeting_id=meeting_id, title=title,
                            owner=owner, next_step=next_step, follow_up_on=follow_up_on, by=by)


@event(mev.ActionItemAdded)
def _action_item_added(self: ClientState, action_item_id: UUID, meeting_id: UUID | None, title: str,
                       owner: str, next_step: str, follow_up_on: date, by: str) -> None:
    self.action_items[action_item_id] = ActionItemState(
        action_item_id, meeting_id, title, owner, next_step, follow_up_on)


def update_action_item(self: ClientState, *, action_item_id: UUID, changes: dict[str, Any],
                       by: str) -> None:
    item = self.action_item(action_item_id)
    item.check_is_open()
    self._action_item_updated(action_item_id=action_item_id,
                              changes=item.plain_changes(changes), by=by)


@event(mev.ActionItemUpdated)
def _action_item_updated(self: ClientState, action_item_id: UUID, changes: dict[str, Any],
                         by: str) -> None:
    self.action_items[action_item_id].apply(changes)


def complete_action_item(self: ClientState, *, action_item_id: UUID, resolution: str,
                         completed_at: datetime, by: str) -> None:
    self.action_item(action_item_id).check_is_open()
    self._action_item_completed(action_item_id=action_item_id, resolution=resolution,
                                completed_at=completed_at, by=by)


@event(mev.ActionItemCompleted)
def _action_item_completed(self: ClientState, action_item_id: UUID, resolution: str,
                           completed_at: datetime, by: str) -> None:
    self.action_items[action_item_id].completed_at = completed_at
