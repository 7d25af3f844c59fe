"""The ``Client`` aggregate's cadence and annual plan, and the notices the scheduler gives once.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). The state these events build
(``planned_years``, ``cadence_override``, ``meeting_preference``, ``notices_given``) defaults at
class level on ``Client``, so clients whose history predates these events load unchanged. The
notice keys are also read by the scheduler, to skip notices already given.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.cadence_state import (
    CadenceOverride,
    MeetingPreference,
    PlannedMeeting,
    check_cadence,
    check_plan,
    check_preference,
    check_reason,
)
from aggregates.client_state import ClientState
from aggregates.errors import (
    DuplicateIdError,
    InvalidValueError,
    MeetingPlanAlreadyScheduledError,
    NoCadenceOverrideError,
    NoticeAlreadyGivenError,
)
from events import cadence as cad


def review_area_notice_key(category: str, due_on: date | None, overdue: bool) -> str:
    return f"{'overdue' if overdue else 'due'}:{category}:{due_on or 'never'}"


def action_item_notice_key(action_item_id: UUID, follow_up_on: date) -> str:
    return f"action-item-overdue:{action_item_id}:{follow_up_on}"


def has_meeting_plan(self: ClientState, year: int) -> bool:
    return year in self.planned_years


def check_no_meeting_plan_for(self: ClientState, year: int) -> None:
    if self.has_meeting_plan(year):
        raise MeetingPlanAlreadyScheduledError("year", f"the client already has a meeting plan"
                                               f" for {year}")


def schedule_meeting_plan(
    self: ClientState, *, year: int, period_start: date, meetings: list[PlannedMeeting],
    meetings_per_year: int, touches_per_month: int, cadence_source: str,
    planned_as_of: datetime, by: str,
) -> None:
    """Record the year's plan, then schedule each of its meetings (one save, all or none)."""
    self.check_client_is_active()
    self.check_no_meeting_plan_for(year)
    check_cadence(meetings_per_year, touches_per_month)
    check_plan(year, period_start, meetings)
    for meeting in meetings:
        if meeting.meeting_id in self.meetings:
            raise DuplicateIdError("meetings", f"meeting {meeting.meeting_id} exists")
    self._meeting_plan_scheduled(
        year=year, period_start=period_start, meetings=[m.to_record() for m in meetings],
        meetings_per_year=meetings_per_year, touches_per_month=touches_per_month,
        cadence_source=cadence_source, planned_as_of=planned_as_of, by=by)
    for meeting in meetings:
        self.schedule_meeting(meeting_id=meeting.meeting_id, kind=meeting.kind,
                              scheduled_for=meeting.scheduled_for,
                              attendees=[self.profile_on(meeting.scheduled_for.date()).vcio], by=by)


@event(cad.MeetingPlanScheduled)
def _meeting_plan_scheduled(
    self: ClientState, year: int, period_start: date, meetings: list[dict[str, Any]],
    meetings_per_year: int, touches_per_month: int, cadence_source: str,
    planned_as_of: datetime, by: str,
) -> None:
    self.planned_years = self.planned_years | {year}


def override_cadence(self: ClientState, *, meetings_per_year: int, touches_per_month: int,
                     reason: str, by: str) -> None:
    check_cadence(meetings_per_year, touches_per_month)
    check_reason(reason)
    current = self.cadence_override
    if current and (current.meetings_per_year, current.touches_per_month) == (
            meetings_per_year, touches_per_month):
        raise InvalidValueError("meetings_per_year", "is already the client's cadence override")
    self._cadence_overridden(meetings_per_year=meetings_per_year,
                             touches_per_month=touches_per_month, reason=reason, by=by)


@event(cad.ClientCadenceOverridden)
def _cadence_overridden(self: ClientState, meetings_per_year: int, touches_per_month: int,
                        reason: str, by: str) -> None:
    self.cadence_override = CadenceOverride(meetings_per_year, touches_per_month, reason)


def clear_cadence_override(self: ClientState, *, reason: str, by: str) -> None:
    if self.cadence_override is None:
        raise NoCadenceOverrideError("cadence_override", "the client has no cadence override")
    check_reason(reason)
    self._cadence_override_cleared(reason=reason, by=by)


@event(cad.ClientCadenceOverrideCleared)
def _cadence_override_cleared(self: ClientState, reason: str, by: str) -> None:
    self.cadence_override = None


def set_meeting_preference(self: ClientState, *, weekday: int | None, time_of_day: str | None,
                           timezone: str, by: str) -> None:
    check_preference(weekday, time_of_day)
    if self.meeting_preference == MeetingPreference(weekday, time_of_day, timezone):
        raise InvalidValueError("weekday", "is already the client's meeting preference")
    self._meeting_preference_set(weekday=weekday, time_of_day=time_of_day, timezone=timezone,
                                 by=by)


@event(cad.MeetingPreferenceSet)
def _meeting_preference_set(self: ClientState, weekday: int | None, time_of_day: str | None,
                            timezone: str, by: str) -> None:
    self.meeting_preference = MeetingPreference(weekday, time_of_day, timezone)


def check_notice_not_given(self: ClientState, key: str) -> None:
    if key in self.notices_given:
        raise NoticeAlreadyGivenError("notice", f"already given ({key})")


def notice_review_area(self: ClientState, *, category: str, frequency_months: int,
                       last_reviewed_on: date | None, due_on: date | None, overdue: bool,
                       noticed_at: datetime, by: str) -> None:
    """Say once that an area falls due (or is overdue) on ``due_on``."""
    if overdue and due_on is not None and due_on >= noticed_at.date():
        raise InvalidValueError("due_on", "an area is overdue only after its due date")
    key = review_area_notice_key(category, due_on, overdue)
    self.check_notice_not_given(key)
    emit = self._review_area_overdue if overdue else self._review_area_falling_due
    emit(category=category, frequency_months=frequency_months,
         last_reviewed_on=last_reviewed_on, due_on=due_on, noticed_at=noticed_at, by=by)


@event(cad.ReviewAreaFallingDue)
def _review_area_falling_due(self: ClientState, category: str, frequency_months: int,
                             last_reviewed_on: date | None, due_on: date | None,
                             noticed_at: datetime, by: str) -> None:
    self.notices_given = self.notices_given | {review_area_notice_key(category, due_on, False)}


@event(cad.ReviewAreaOverdue)
def _review_area_overdue(self: ClientState, category: str, frequency_months: int,
                         last_reviewed_on: date | None, due_on: date | None,
                         noticed_at: datetime, by: str) -> None:
    self.notices_given = self.notices_given | {review_area_notice_key(category, due_on, True)}


def notice_overdue_action_item(self: ClientState, *, action_item_id: UUID, noticed_at: datetime,
                               by: str) -> None:
    item = self.action_item(action_item_id)
    item.check_is_open()
    if item.follow_up_on >= noticed_at.date():
        raise InvalidValueError("action_item_id", f"the follow-up date {item.follow_up_on}"
                                " has not passed")
    self.check_notice_not_given(action_item_notice_key(action_item_id, item.follow_up_on))
    self._action_item_fell_overdue(action_item_id=action_item_id,
                                   follow_up_on=item.follow_up_on, noticed_at=noticed_at,
                                   by=by)


@event(cad.ActionItemFellOverdue)
def _action_item_fell_overdue(self: ClientState, action_item_id: UUID, follow_up_on: date,
                              noticed_at: datetime, by: str) -> None:
    self.notices_given = self.notices_given | {
        action_item_notice_key(action_item_id, follow_up_on)}
