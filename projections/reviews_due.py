"""Which clients need a review before their next strategy meeting, and by when.

No tables of its own: it composes the client directory (each review area's due date, standard by
standard) and the meeting calendar (the next meeting still to be held). A client is listed when
any of its standards is due by the day of its next strategy meeting (a technology business review
or a strategy meeting, planned or rescheduled, not yet held); the review should be done
``lead_days`` before it (default 14), so the TAM has the findings in time for the vCIO.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from projections.client_directory import ClientDirectoryView, ReviewArea
from projections.fiscal import Period
from projections.meeting_calendar import CalendarMeeting, MeetingCalendarView

DEFAULT_LEAD_DAYS = 14  # the default of the MSP's review lead time (``projections.msp_settings``)
STRATEGY_KINDS = frozenset({"strategy_meeting", "technology_business_review"})
LOOK_AHEAD_DAYS = 400


@dataclass(frozen=True)
class ReviewDue:
    client_id: UUID
    client_name: str
    vcio: str
    tam: str
    meeting_id: UUID
    meeting_kind: str
    meeting_at: datetime
    review_by: date
    due_categories: tuple[str, ...]
    never_answered: int
    late: bool  # ``review_by`` has passed: it can only be done in less than the lead time


@dataclass(frozen=True)
class ReviewsDuePage:
    """A page of the reviews due, and how many there are over all pages."""

    reviews: list[ReviewDue]
    total: int


def next_meetings(meetings: list[CalendarMeeting], today: date) -> dict[UUID, CalendarMeeting]:
    """Each client's next strategy meeting from ``today`` on."""
    found: dict[UUID, CalendarMeeting] = {}
    for meeting in meetings:  # in time order
        if (meeting.kind in STRATEGY_KINDS and meeting.status not in ("held", "cancelled")
                and meeting.scheduled_for.date() >= today):
            found.setdefault(meeting.client_id, meeting)
    return found


class ReviewsDueView:
    """Reviews due before the next strategy meeting, soonest first."""

    def __init__(self, directory: ClientDirectoryView, calendar: MeetingCalendarView) -> None:
        self.directory = directory
        self.calendar = calendar

    def reviews_due(self, tenant: str, today: date, lead_days: int = DEFAULT_LEAD_DAYS,
                    tam: str | None = None) -> list[ReviewDue]:
        period = Period(today, today + timedelta(days=LOOK_AHEAD_DAYS))
        meetings = next_meetings(self.calendar.calendar(tenant, period, today).meetings, today)
        by_client: dict[UUID, list[ReviewArea]] = {}
        for area in self.directory.review_areas(tenant):
            by_client.setdefault(area.client_id, []).append(area)
        found = []
        for client_id, meeting in meetings.items():
            areas = by_client.get(client_id, [])
            due = [a for a in areas if a.is_due_by(meeting.scheduled_for.date())]
            if not due or (tam is not None and due[0].tam != tam):
                continue
            review_by = meeting.scheduled_for.date() - timedelta(days=lead_days)
            found.append(ReviewDue(
                client_id=client_id, client_name=due[0].client_name, vcio=due[0].vcio,
                tam=due[0].tam, meeting_id=meeting.meeting_id, meeting_kind=meeting.kind,
                meeting_at=meeting.scheduled_for,
                review_by=review_by, due_categories=tuple(a.category for a in due),
                never_answered=sum(a.never_answered for a in due), late=review_by < today))
        return sorted(found, key=due_order)

    def page(self, tenant: str, today: date, lead_days: int = DEFAULT_LEAD_DAYS,
             tam: str | None = None, after: tuple[date, str, UUID] | None = None,
             limit: int | None = None) -> ReviewsDuePage:
        """:meth:`reviews_due` a page at a time: those after ``after`` (a review-by day, a
        client name and id) in that order, ``limit`` of them, and how many there are in all.
        The list is worked out whole for each page (it composes two read models in memory),
        so a page bounds what is sent, not what is read."""
        found = self.reviews_due(tenant, today, lead_days, tam)
        rest = found if after is None else [r for r in found if due_order(r) > after]
        return ReviewsDuePage(rest[:limit], len(found))


def due_order(review: ReviewDue) -> tuple[date, str, UUID]:
    """Soonest review-by day first, then by client name and id."""
    return review.review_by, review.client_name, review.client_id

