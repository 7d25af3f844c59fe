"""Events of a recommendation's life: proposed, presented, approved or declined, rescheduled,
started, completed.

The target quarter is stored as ``target_quarter_start``: the calendar date of the first day of
the client's *fiscal* quarter (e.g. 2027-04-01 for a client whose fiscal year starts in January or
April or July or October). A calendar date cannot be misread the way a "2027-Q2" label can (whose
year? whose Q2?), and it stays right if the client later moves its fiscal-year start: a roadmap
simply buckets the date into the quarter that contains it. ``None`` means unscheduled.

``finding_standard_ids`` are the standards whose misaligned answers in ``source_review_id`` (the
client's latest completed review when proposed) the recommendation remedies; empty (with
``source_review_id`` None) for a free-standing recommendation.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from events.base import TenantEvent
from events.vocabulary import Priority


class RecommendationProposed(TenantEvent):
    recommendation_id: UUID
    title: str
    business_impact: str
    source_review_id: UUID | None
    finding_standard_ids: list[UUID]
    one_time_budget: Decimal
    recurring_monthly_budget: Decimal
    estimated_hours: Decimal
    target_quarter_start: date | None
    priority: Priority
    owner: str
    capital_expense: bool
    by: str


class RecommendationPresented(TenantEvent):
    recommendation_id: UUID
    meeting_id: UUID | None
    by: str


class RecommendationApproved(TenantEvent):
    """Approved by ``decision_maker_id``, a current decision maker of the client at the time."""

    recommendation_id: UUID
    decision_maker_id: UUID
    approved_at: datetime
    by: str


class RecommendationDeclined(TenantEvent):
    recommendation_id: UUID
    decision_maker_id: UUID
    reason: str
    by: str


class RecommendationRescheduled(TenantEvent):
    """Moved to another fiscal quarter (``target_quarter_start``), or unscheduled (None)."""

    recommendation_id: UUID
    target_quarter_start: date | None
    reason: str
    by: str


class RecommendationStarted(TenantEvent):
    recommendation_id: UUID
    started_at: datetime
    by: str


class RecommendationCompleted(TenantEvent):
    recommendation_id: UUID
    completed_at: datetime
    by: str
