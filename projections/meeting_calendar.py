"""Read model: which meetings were planned, held, moved or cancelled, and what is left to do?

Per client and per vCIO (the client's current vCIO), over a period [start, end): each meeting
with its dates, and counts of planned, held, rescheduled and cancelled meetings. A meeting falls
in the period by its held date once held, otherwise by its current scheduled date. *Planned*,
*held* and *cancelled* are the meeting's status and never overlap; *rescheduled* counts the
meetings moved at least once, whatever their status now. Action items are open until completed,
and overdue when open with a follow-up date before ``today``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import Cursor

from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.fiscal import Period
from projections.meeting_tables import MEETING_TOPICS, apply_meeting_event, create_meeting_tables
from projections.strategy_tables import (
    CLIENT_FACT_TOPICS,
    apply_client_fact_event,
    create_client_fact_tables,
)


class MeetingCalendarProjection(Projection):
    name = "meeting_calendar"
    topics = CLIENT_FACT_TOPICS + MEETING_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_client_fact_tables(cur)
        create_meeting_tables(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_client_fact_event(cur, event) or apply_meeting_event(cur, event)


@dataclass(frozen=True)
class CalendarMeeting:
    meeting_id: UUID
    client_id: UUID
    client_name: str
    vcio: str
    kind: str
    status: str
    scheduled_for: datetime
    first_scheduled_for: datetime
    held_at: datetime | None
    times_rescheduled: int
    reschedule_reason: str | None
    cancel_reason: str | None
    attendees: tuple[str, ...]
    agenda: tuple[str, ...]
    summary: str | None

    @property
    def when(self) -> datetime:
        return self.held_at or self.scheduled_for


@dataclass(frozen=True)
class ActionItem:
    action_item_id: UUID
    client_id: UUID
    client_name: str
    meeting_id: UUID | None
    title: str
    owner: str
    next_step: str
    follow_up_on: date
    added_at: datetime
    completed_at: datetime | None
    resolution: str | None
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


@dataclass(frozen=True)
class MeetingCalendar:
    """Meetings of one client or one vCIO in a period (oldest first), with open action items."""

    tenant: str
    client_id: UUID | None
    vcio: str | None
    period: Period
    meetings: list[CalendarMeeting]
    open_action_items: list[ActionItem]

    def _count(self, status: str) -> int:
        return sum(1 for m in self.meetings if m.status == status)

    @property
    def planned(self) -> int:
        return self._count("planned")

    @property
    def held(self) -> int:
        return self._count("held")

    @property
    def cancelled(self) -> int:
        return self._count("cancelled")

    @property
    def rescheduled(self) -> int:
        return sum(1 for m in self.meetings if m.times_rescheduled > 0)

    @property
    def overdue_action_items(self) -> list[ActionItem]:
        return [a for a in self.open_action_items if a.overdue]


MEETING_SELECT = """
SELECT m.meeting_id, m.client_id, c.name, c.vcio, m.kind, m.status, m.scheduled_for,
       m.first_scheduled_for, m.held_at, m.times_rescheduled, m.reschedule_reason, m.cancel_reason,
       m.attendees, m.agenda, m.summary
FROM meetings m JOIN client_facts c ON c.client_id = m.client_id
WHERE m.tenant = %(tenant)s
"""

MEETINGS_SQL = MEETING_SELECT + """
  AND (%(client)s::uuid IS NULL OR m.client_id = %(client)s)
  AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
  AND coalesce(m.held_at, m.scheduled_for) >= %(start)s
  AND coalesce(m.held_at, m.scheduled_for) < %(end)s
ORDER BY coalesce(m.held_at, m.scheduled_for), m.meeting_id
"""

ACTION_ITEMS_SQL = """
SELECT a.action_item_id, a.client_id, c.name, a.meeting_id, a.title, a.owner, a.next_step,
       a.follow_up_on, a.added_at, a.completed_at, a.resolution,
       a.completed_at IS NULL AND a.follow_up_on < %(today)s
FROM action_items a JOIN client_facts c ON c.client_id = a.client_id
WHERE a.tenant = %(tenant)s
  AND (%(client)s::uuid IS NULL OR a.client_id = %(client)s)
  AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
  AND (%(meeting)s::uuid IS NULL OR a.meeting_id = %(meeting)s)
  AND (%(all)s OR a.completed_at IS NULL)
ORDER BY a.follow_up_on, a.added_at, a.action_item_id
"""


def calendar_meeting(row: tuple[Any, ...]) -> CalendarMeeting:
    (meeting_id, client_id, client_name, vcio, kind, status, scheduled_for, first_scheduled_for,
     held_at, times_rescheduled, reschedule_reason, cancel_reason, attendees, agenda,
     summary) = row
    return CalendarMeeting(
        meeting_id, client_id, client_name, vcio, kind, status, scheduled_for, first_scheduled_for,
        held_at, times_rescheduled, reschedule_reason, cancel_reason, tuple(attendees),
        tuple(agenda), summary)


class MeetingCalendarView:
    """Typed queries over the meeting calendar read model."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def calendar(self, tenant: str, period: Period, today: date, client_id: UUID | None = None,
                 vcio: str | None = None) -> MeetingCalendar:
        """One client's (``client_id``), one vCIO's (``vcio``) or the whole MSP's calendar."""
        with self.reader.cursor(MeetingCalendarProjection.name) as cur:
            cur.execute(MEETINGS_SQL, {"tenant": tenant, "client": client_id, "vcio": vcio,
                                       "start": period.start_at, "end": period.end_at})
            meetings = [calendar_meeting(r) for r in cur.fetchall()]
            items = self._action_items(cur, tenant, today, client_id, vcio, None, False)
        return MeetingCalendar(tenant, client_id, vcio, period, meetings, items)

    def meeting(self, tenant: str, meeting_id: UUID) -> CalendarMeeting | None:
        with self.reader.cursor(MeetingCalendarProjection.name) as cur:
            cur.execute(MEETING_SELECT + " AND m.meeting_id = %(meeting)s",
                        {"tenant": tenant, "meeting": meeting_id})
            row = cur.fetchone()
        return calendar_meeting(row) if row else None

    def last_held_meeting(self, tenant: str, client_id: UUID,
                          before: datetime) -> CalendarMeeting | None:
        """The client's most recent meeting held before ``before``."""
        with self.reader.cursor(MeetingCalendarProjection.name) as cur:
            cur.execute("SELECT meeting_id FROM meetings WHERE tenant = %s AND client_id = %s"
                        " AND status = 'held' AND held_at < %s ORDER BY held_at DESC LIMIT 1",
                        (tenant, client_id, before))
            row = cur.fetchone()
        return self.meeting(tenant, row[0]) if row else None

    def action_items(self, tenant: str, today: date, client_id: UUID | None = None,
                     vcio: str | None = None, meeting_id: UUID | None = None,
                     include_completed: bool = False) -> list[ActionItem]:
        """Action items by follow-up date; open ones only unless ``include_completed``."""
        with self.reader.cursor(MeetingCalendarProjection.name) as cur:
            return self._action_items(cur, tenant, today, client_id, vcio, meeting_id,
                                      include_completed)

    @staticmethod
    def _action_items(cur: Cursor[Any], tenant: str, today: date, client_id: UUID | None,
                      vcio: str | None, meeting_id: UUID | None,
                      include_completed: bool) -> list[ActionItem]:
        cur.execute(ACTION_ITEMS_SQL, {"tenant": tenant, "today": today, "client": client_id,
                                       "vcio": vcio, "meeting": meeting_id,
                                       "all": include_completed})
        return [ActionItem(*r) for r in cur.fetchall()]
