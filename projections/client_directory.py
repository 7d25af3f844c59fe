"""Read model: which clients does each MSP have, how are they planned, and what falls due?

Per client: the profile (the facts that set a cadence, MRR, users and complexity, plus industry,
fiscal-year start, vCIO and TAM), the meeting preference and any cadence override. Per client
and year (and per MSP for the standards committee): the meeting plan as scheduled. Per client
and review area: when the area was last answered and falls due again, standard by standard: each
standard is due by its own review frequency from its latest finalised answer (never answered:
due now), and an area is due when any standard in it is (``due_at`` is the earliest of its
standards' due dates, None when one was never answered). And the notices the scheduler gave once
(areas due or overdue, action items overdue), for dashboards. The annual scheduler lists clients
and tenants here; its planning inputs come from the ``Client`` aggregate itself.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from aggregates.client import Client
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.directory_tables import (
    DIRECTORY_TOPICS,
    apply_answer_event,
    apply_client_event,
    apply_notice_event,
    apply_plan_event,
    create_directory_tables,
    pending_buffer,
)
from projections.review_area_tables import REVIEW_AREA_TOPICS, apply_review_area_event
from projections.review_batch import KeepsReviewTables


class ClientDirectoryProjection(KeepsReviewTables, Projection):
    name = "client_directory"
    version = 4  # 2: industry and TAM columns; 3: offboarded_on; 4: latest answer per standard
    rebuild_cost = 0.9  # relative rebuild CPU per event (Projection.rebuild_cost)
    topics = DIRECTORY_TOPICS + tuple(t for t in REVIEW_AREA_TOPICS if t not in DIRECTORY_TOPICS)

    review_buffer = staticmethod(pending_buffer)

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_directory_tables(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_answer_event(cur, event, self.reviews.buffer)
        if type(event) is Client.AnswerRecorded:  # most of the log: nothing else to do
            return
        (apply_client_event(cur, event) or apply_plan_event(cur, event)
         or apply_notice_event(cur, event, position) or apply_review_area_event(cur, event))


@dataclass(frozen=True)
class DirectoryClient:
    client_id: UUID
    tenant: str
    name: str
    vcio: str
    mrr: Decimal
    user_count: int
    complexity: int
    fiscal_year_start_month: int
    onboarded_at: datetime
    preferred_weekday: int | None
    preferred_time: str | None
    timezone: str | None
    override_meetings_per_year: int | None
    override_touches_per_month: int | None
    override_reason: str | None
    industry: str
    tam: str
    offboarded_on: date | None


@dataclass(frozen=True)
class PlanMeeting:
    meeting_id: UUID
    kind: str
    scheduled_for: datetime


@dataclass(frozen=True)
class MeetingPlan:
    tenant: str
    subject_id: UUID
    subject: str
    name: str | None
    vcio: str | None
    year: int
    period_start: date
    meetings: tuple[PlanMeeting, ...]
    meetings_per_year: int
    touches_per_month: int
    cadence_source: str
    planned_as_of: datetime
    library_review_at: datetime | None


@dataclass(frozen=True)
class ReviewArea:
    client_id: UUID
    client_name: str
    vcio: str
    category: str
    frequency_months: int
    last_reviewed_at: datetime | None
    due_at: datetime | None
    tam: str
    standards: int
    never_answered: int

    def is_due_by(self, day: date) -> bool:
        """Whether any standard of the area is due on ``day`` (never answered: always)."""
        return self.due_at is None or self.due_at.date() <= day


@dataclass(frozen=True)
class Notice:
    client_id: UUID
    client_name: str
    vcio: str
    kind: str
    subject: str
    due_on: date | None
    noticed_at: datetime


CLIENT_COLUMNS = SQL(", ").join(Identifier(c) for c in (
    "client_id", "tenant", "name", "vcio", "mrr", "user_count", "complexity",
    "fiscal_year_start_month", "onboarded_at", "preferred_weekday", "preferred_time", "timezone",
    "override_meetings_per_year", "override_touches_per_month", "override_reason", "industry",
    "tam", "offboarded_on"))

PLANS_SQL = """
SELECT p.tenant, p.subject_id, p.subject, c.name, c.vcio, p.year, p.period_start, p.meetings,
       p.meetings_per_year, p.touches_per_month, p.cadence_source, p.planned_as_of,
       p.library_review_at
FROM meeting_plans p LEFT JOIN clients c ON c.client_id = p.subject_id
WHERE p.tenant = %(tenant)s AND p.year = %(year)s
  AND (%(subject_id)s::uuid IS NULL OR p.subject_id = %(subject_id)s)
  AND (%(subject)s::text IS NULL OR p.subject = %(subject)s)
ORDER BY p.subject DESC, c.name, p.subject_id
"""

AREAS_SQL = """
SELECT c.client_id, c.name, c.vcio, s.category, min(s.frequency_months), max(la.observed_at),
       CASE WHEN bool_or(la.observed_at IS NULL) THEN NULL
            ELSE min(la.observed_at + make_interval(months => s.frequency_months)) END,
       c.tam, count(*), count(*) FILTER (WHERE la.observed_at IS NULL)
FROM clients c
JOIN standard_areas s ON s.tenant = c.tenant AND s.status = 'published'
LEFT JOIN standard_answers la ON la.client_id = c.client_id AND la.standard_id = s.standard_id
WHERE c.tenant = %(tenant)s AND c.offboarded_on IS NULL
  AND (%(client)s::uuid IS NULL OR c.client_id = %(client)s)
GROUP BY c.client_id, c.name, c.vcio, c.tam, s.category
ORDER BY c.name, c.client_id, s.category
"""


def meeting_plan(row: tuple[Any, ...]) -> MeetingPlan:
    meetings = tuple(PlanMeeting(UUID(m["meeting_id"]), m["kind"],
                                 datetime.fromisoformat(m["scheduled_for"])) for m in row[7])
    return MeetingPlan(
        tenant=row[0], subject_id=row[1], subject=row[2], name=row[3], vcio=row[4], year=row[5],
        period_start=row[6], meetings=meetings, meetings_per_year=row[8],
        touches_per_month=row[9], cadence_source=row[10], planned_as_of=row[11],
        library_review_at=row[12])


class ClientDirectoryView:
    """Typed queries over the client directory read model."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def tenants(self) -> list[str]:
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute("SELECT DISTINCT tenant FROM clients ORDER BY tenant")
            return [r[0] for r in cur.fetchall()]

    def clients(self, tenant: str, vcio: str | None = None, include_offboarded: bool = False,
                after: tuple[str, UUID] | None = None,
                limit: int | None = None) -> list[DirectoryClient]:
        """The tenant's active clients by name and id (offboarded ones too when asked); a page
        of ``limit`` from the one after ``after`` (a name and id) when given."""
        name, client_id = after if after is not None else (None, None)
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute(SQL("SELECT {} FROM clients WHERE tenant = %s"
                            " AND (%s::text IS NULL OR vcio = %s)"
                            " AND (%s OR offboarded_on IS NULL)"
                            " AND (%s::text IS NULL OR (name, client_id) > (%s, %s))"
                            " ORDER BY name, client_id LIMIT %s"
                            ).format(CLIENT_COLUMNS),
                        (tenant, vcio, vcio, include_offboarded, name, name, client_id, limit))
            return [DirectoryClient(*r) for r in cur.fetchall()]

    def count_clients(self, tenant: str, vcio: str | None = None,
                      include_offboarded: bool = False) -> int:
        """How many clients ``clients`` lists over all its pages."""
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute("SELECT count(*) FROM clients WHERE tenant = %s"
                        " AND (%s::text IS NULL OR vcio = %s) AND (%s OR offboarded_on IS NULL)",
                        (tenant, vcio, vcio, include_offboarded))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def client(self, tenant: str, client_id: UUID) -> DirectoryClient | None:
        """The tenant's client with this id (None for another tenant's)."""
        found = self.locate(client_id)
        return found if found is not None and found.tenant == tenant else None

    def locate(self, client_id: UUID) -> DirectoryClient | None:
        """A client found by id alone (its tenant unknown to the caller)."""
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute(SQL("SELECT {} FROM clients WHERE client_id = %s").format(CLIENT_COLUMNS),
                        (client_id,))
            row = cur.fetchone()
        return DirectoryClient(*row) if row else None

    def clients_without_plan(self, tenant: str, year: int) -> list[DirectoryClient]:
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute(SQL("SELECT {} FROM clients c WHERE tenant = %s AND offboarded_on IS NULL"
                            " AND NOT EXISTS (SELECT 1 FROM meeting_plans p"
                            " WHERE p.subject_id = c.client_id AND p.year = %s)"
                            " ORDER BY name, client_id").format(CLIENT_COLUMNS), (tenant, year))
            return [DirectoryClient(*r) for r in cur.fetchall()]

    def has_committee_plan(self, tenant: str, year: int) -> bool:
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute("SELECT 1 FROM meeting_plans WHERE tenant = %s AND year = %s"
                        " AND subject = 'committee'", (tenant, year))
            return cur.fetchone() is not None

    def plans(self, tenant: str, year: int, subject_id: UUID | None = None,
              subject: str | None = None) -> list[MeetingPlan]:
        """The year's plans: the committee's first, then clients by name."""
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute(PLANS_SQL, {"tenant": tenant, "year": year, "subject_id": subject_id,
                                    "subject": subject})
            return [meeting_plan(r) for r in cur.fetchall()]

    def review_areas(self, tenant: str, client_id: UUID | None = None) -> list[ReviewArea]:
        """Every active client's (or one client's) review areas with when each falls due: the earliest
        due date of its standards (None: a standard in it was never answered, so due now)."""
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute(AREAS_SQL, {"tenant": tenant, "client": client_id})
            return [ReviewArea(*r) for r in cur.fetchall()]

    def notices(self, tenant: str, vcio: str | None = None,
                client_id: UUID | None = None) -> list[Notice]:
        """Notices given by the scheduler, newest first."""
        with self.reader.cursor(ClientDirectoryProjection.name) as cur:
            cur.execute("SELECT n.client_id, c.name, c.vcio, n.kind, n.subject, n.due_on,"
                        " n.noticed_at FROM notices n JOIN clients c ON c.client_id = n.client_id"
                        " WHERE n.tenant = %s AND (%s::text IS NULL OR c.vcio = %s)"
                        " AND (%s::uuid IS NULL OR n.client_id = %s) ORDER BY n.position DESC",
                        (tenant, vcio, vcio, client_id, client_id))
            return [Notice(*r) for r in cur.fetchall()]
