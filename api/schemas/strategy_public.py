"""Answer bodies of the strategy read models: roadmap, budget, meeting calendar, action items,
touch cadence, vCIO dashboard and QBR pack. Each reads the view's dataclass by attribute, so
derived figures (totals, shares, bands) come from the read model, never recomputed here.

Money and shares are decimal strings (``"1200.00"``, ``"27.8"``); shares are percentages.
(Kept beside the strategy routers until ``api/schemas`` takes them in as ``strategy.py``.)
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from api.schemas.alignment import AlignmentItemPublic, ScorePointPublic


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PeriodPublic(ReadModel):
    """[start, end); ``months`` counts each month by the share of its days inside."""

    start: date
    end: date
    months: Decimal


class FindingPublic(ReadModel):
    standard_id: UUID
    resolved: bool
    resolved_in_review_id: UUID | None
    resolved_at: datetime | None


class RoadmapItemPublic(ReadModel):
    recommendation_id: UUID
    title: str
    business_impact: str
    status: str
    priority: str
    owner: str
    one_time_budget: Decimal
    recurring_monthly_budget: Decimal
    estimated_hours: Decimal
    capital_expense: bool
    target_quarter_start: date | None
    quarter: str | None
    approved_at: datetime | None
    completed_at: datetime | None
    times_rescheduled: int
    findings: list[FindingPublic]
    all_findings_resolved: bool


class BudgetMonthPublic(ReadModel):
    month: date
    one_time: Decimal
    recurring: Decimal
    total: Decimal


class RoadmapQuarterPublic(ReadModel):
    label: str
    start: date
    end: date
    items: list[RoadmapItemPublic]
    months: list[BudgetMonthPublic]
    one_time: Decimal
    recurring: Decimal
    capital_one_time: Decimal
    total: Decimal


class RoadmapPublic(ReadModel):
    """Quarters from the one containing ``today``; items outside them are listed apart."""

    client_id: UUID
    client_name: str
    fiscal_year_start_month: int
    horizon_start: date
    horizon_end: date
    quarters: list[RoadmapQuarterPublic]
    unscheduled: list[RoadmapItemPublic]
    earlier: list[RoadmapItemPublic]
    later: list[RoadmapItemPublic]
    one_time: Decimal
    recurring: Decimal


class BudgetLinePublic(ReadModel):
    label: str
    start: date | None
    client_id: UUID | None
    approved_one_time: Decimal
    approved_recurring: Decimal
    proposed_one_time: Decimal
    proposed_recurring: Decimal
    approved_total: Decimal
    proposed_total: Decimal


class BudgetPublic(ReadModel):
    """Approved (approved, in progress, completed) versus proposed (not yet decided) money."""

    client_id: UUID | None
    fiscal_year_start_month: int
    months: list[BudgetLinePublic]
    quarters: list[BudgetLinePublic]
    total: BudgetLinePublic
    unscheduled: BudgetLinePublic
    clients: list[BudgetLinePublic]


class CalendarMeetingPublic(ReadModel):
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
    attendees: list[str]
    agenda: list[str]
    summary: str | None


class ActionItemPublic(ReadModel):
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


class ActionItemsPublic(BaseModel):
    data: list[ActionItemPublic]
    count: int


class MeetingCalendarPublic(ReadModel):
    client_id: UUID | None
    vcio: str | None
    period: PeriodPublic
    meetings: list[CalendarMeetingPublic]
    planned: int
    held: int
    rescheduled: int
    cancelled: int
    open_action_items: list[ActionItemPublic]
    overdue_action_items: list[ActionItemPublic]


class MonthTouchesPublic(ReadModel):
    month: date
    touches: int
    other_touches: int
    target: int
    shortfall: int


class ClientCadencePublic(ReadModel):
    client_id: UUID
    client_name: str
    vcio: str
    target_per_month: int
    months: list[MonthTouchesPublic]
    touches: int
    other_touches: int
    target: int
    shortfall: int
    behind: bool


class CadencePublic(BaseModel):
    """Clients behind cadence first, the largest shortfall first."""

    data: list[ClientCadencePublic]
    count: int


class OverdueAreaPublic(ReadModel):
    client_id: UUID
    client_name: str
    category: str
    frequency_months: int
    last_reviewed_at: datetime | None
    due_at: datetime | None


class CountsPublic(ReadModel):
    clients: int
    mrr: Decimal
    touch_target_per_month: int
    meetings_scheduled_next_12_months: int
    meetings_held: int
    touches: int
    non_recurring_revenue: Decimal
    backlog_count: int
    backlog_one_time: Decimal
    reviews_completed: int
    budgets_completed: int
    open_action_items: int
    overdue_action_items: int


class VcioMetricsPublic(ReadModel):
    """One vCIO's figures (``vcio`` null: the whole MSP); ``nrr_band`` is below, in or above
    the 25-30% target band."""

    vcio: str | None
    counts: CountsPublic
    period_months: Decimal
    average_mrr: Decimal | None
    touch_target: Decimal
    mrr_over_period: Decimal
    nrr_share: Decimal | None
    nrr_band: str | None
    overdue_review_areas: int
    overdue_areas: list[OverdueAreaPublic]


class DashboardPublic(ReadModel):
    period: PeriodPublic
    today: date
    msp: VcioMetricsPublic
    vcios: list[VcioMetricsPublic]


class QbrPackPublic(ReadModel):
    """Everything a technology business review needs about one client."""

    client_id: UUID
    client_name: str
    today: date
    meeting: CalendarMeetingPublic | None
    score: Decimal | None
    coverage: Decimal | None
    score_trend: list[ScorePointPublic]
    top_misaligned: list[AlignmentItemPublic]
    roadmap: RoadmapPublic
    last_meeting: CalendarMeetingPublic | None
    open_action_items: list[ActionItemPublic]
    period: PeriodPublic
    touches: ClientCadencePublic | None
    meetings_held: list[CalendarMeetingPublic]
