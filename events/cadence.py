"""Events of the annual plan: a client's cadence (and its manual override), the meeting plan a year
ahead, the standards committee's calendar, and the notices the scheduler gives once (a review
area falling due or overdue, an action item whose follow-up date passed).

A plan's ``meetings`` is a list of plain records, one per proposed meeting, each
``{"meeting_id": UUID, "kind": MeetingKind, "scheduled_for": datetime}`` (timezone-aware, UTC);
the individual ``MeetingScheduled`` events follow the plan in the same save. Weekdays are ISO
numbers (1 = Monday) and a time of day is ``HH:MM`` text, so that the stored JSON stays plain.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from events.base import TenantCreated, TenantEvent


class MeetingPlanScheduled(TenantEvent):
    """The meetings proposed for ``year`` from ``period_start`` (1 January, or later for a
    client onboarded during the year), and the cadence they were planned with."""

    year: int
    period_start: date
    meetings: list[dict[str, Any]]
    meetings_per_year: int
    touches_per_month: int
    cadence_source: str
    planned_as_of: datetime
    by: str


class ClientCadenceOverridden(TenantEvent):
    """A manual cadence that wins over the MSP's rules until cleared."""

    meetings_per_year: int
    touches_per_month: int
    reason: str
    by: str


class ClientCadenceOverrideCleared(TenantEvent):
    reason: str
    by: str


class MeetingPreferenceSet(TenantEvent):
    """When the client likes to meet; ``None`` fields mean no preference."""

    weekday: int | None
    time_of_day: str | None
    timezone: str
    by: str


class ReviewAreaFallingDue(TenantEvent):
    """A review area (a category of standards) of the client falls due on ``due_on``."""

    category: str
    frequency_months: int
    last_reviewed_on: date | None
    due_on: date | None
    noticed_at: datetime
    by: str


class ReviewAreaOverdue(TenantEvent):
    """A review area was not reviewed in time (``due_on`` None: never reviewed at all)."""

    category: str
    frequency_months: int
    last_reviewed_on: date | None
    due_on: date | None
    noticed_at: datetime
    by: str


class ActionItemFellOverdue(TenantEvent):
    """An open action item's follow-up date passed; given once per follow-up date."""

    action_item_id: UUID
    follow_up_on: date
    noticed_at: datetime
    by: str


class MspCalendarOpened(TenantCreated):
    """The MSP's own planning calendar (standards committee, library review) was opened."""

    by: str


class CommitteePlanScheduled(TenantEvent):
    """The standards committee's meetings proposed for ``year`` (records as in a client's plan),
    followed by a ``CommitteeMeetingScheduled`` per meeting."""

    year: int
    period_start: date
    meetings: list[dict[str, Any]]
    planned_as_of: datetime
    by: str


class CommitteeMeetingScheduled(TenantEvent):
    meeting_id: UUID
    scheduled_for: datetime
    by: str


class LibraryReviewScheduled(TenantEvent):
    """The committee's yearly review of the whole standards library."""

    review_id: UUID
    year: int
    scheduled_for: datetime
    by: str
