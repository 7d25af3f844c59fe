"""The ``MspCalendar`` aggregate: the MSP's own year ahead, the standards committee's meetings and
the yearly review of the whole library.

It exists for one rule, one committee plan per year, which belongs to no client and no standard.
Each tenant has exactly one calendar, under an id derived from the tenant, so a scheduler on any
process finds (or opens) the same record.
"""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.cadence_state import PlannedMeeting, check_cadence, check_plan
from aggregates.errors import InvalidValueError, MeetingPlanAlreadyScheduledError
from aggregates.tenanted import TenantAggregate
from events import cadence as cad
from events.vocabulary import MeetingKind


class MspCalendar(TenantAggregate):
    """One MSP's planning calendar."""

    MspCalendarOpened = cad.MspCalendarOpened
    CommitteePlanScheduled = cad.CommitteePlanScheduled
    CommitteeMeetingScheduled = cad.CommitteeMeetingScheduled
    LibraryReviewScheduled = cad.LibraryReviewScheduled

    @event(MspCalendarOpened)
    def __init__(self, *, tenant: str, by: str) -> None:
        self.tenant = tenant
        self.planned_years: frozenset[int] = frozenset()
        self.meetings: dict[UUID, datetime] = {}

    def has_committee_plan(self, year: int) -> bool:
        return year in self.planned_years

    def schedule_committee_plan(
        self, *, year: int, period_start: date, meetings: list[PlannedMeeting],
        library_review_id: UUID | None, library_review_at: datetime | None,
        planned_as_of: datetime, by: str,
    ) -> None:
        """The committee's meetings of ``year`` and (unless already past) its library review."""
        if self.has_committee_plan(year):
            raise MeetingPlanAlreadyScheduledError("year", f"the committee already has a plan for"
                                                   f" {year}")
        check_cadence(len(meetings), 0)
        check_plan(year, period_start, meetings)
        if any(m.kind is not MeetingKind.STANDARDS_COMMITTEE for m in meetings):
            raise InvalidValueError("meetings", "the committee's plan holds committee meetings only")
        if (library_review_id is None) != (library_review_at is None):
            raise InvalidValueError("library_review_at", "give both the review's id and its time")
        if library_review_id is not None and library_review_at is not None:
            check_plan(year, period_start, [PlannedMeeting(
                library_review_id, MeetingKind.STANDARDS_COMMITTEE, library_review_at)])
        self._plan_scheduled(year=year, period_start=period_start,
                             meetings=[m.to_record() for m in meetings],
                             planned_as_of=planned_as_of, by=by)
        for meeting in meetings:
            self._meeting_scheduled(meeting_id=meeting.meeting_id,
                                    scheduled_for=meeting.scheduled_for, by=by)
        if library_review_id is not None and library_review_at is not None:
            self._library_review_scheduled(review_id=library_review_id, year=year,
                                           scheduled_for=library_review_at.astimezone(UTC), by=by)

    @event(CommitteePlanScheduled)
    def _plan_scheduled(self, year: int, period_start: date, meetings: list[dict[str, Any]],
                        planned_as_of: datetime, by: str) -> None:
        self.planned_years = self.planned_years | {year}

    @event(CommitteeMeetingScheduled)
    def _meeting_scheduled(self, meeting_id: UUID, scheduled_for: datetime, by: str) -> None:
        self.meetings[meeting_id] = scheduled_for

    @event(LibraryReviewScheduled)
    def _library_review_scheduled(self, review_id: UUID, year: int, scheduled_for: datetime,
                                  by: str) -> None:
        pass
