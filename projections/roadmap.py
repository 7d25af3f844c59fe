"""Read model: what is planned for a client, quarter by quarter, and what will it cost?

The strategic roadmap lays a client's recommendations out by the client's fiscal quarters, from
the quarter containing ``today`` for the next 4 to 12 quarters, with one-time and recurring
budget totals per quarter and per month (by the rule in ``projections.fiscal``: one-time in the
month the target quarter starts, recurring in every month from then on). Declined
recommendations are listed (when the status filter asks for them) but never cost anything.
Nothing is dropped: unscheduled items, items targeted before the horizon (``earlier``, still
open or done) and items beyond it (``later``) are listed apart.

A finding of a recommendation shows as resolved when the latest completed review after the
recommendation's source review that answered the finding's standard found it aligned.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor

from aggregates.client import Client
from projections.answer_tables import ALIGNED, AnswersIndexedAfterLoad
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.fiscal import (
    ZERO,
    add_months,
    costs_in_month,
    fiscal_quarter_start,
    months_from,
    quarter_label,
)
from projections.review_batch import KeepsReviewTables
from projections.review_tables import REVIEW_TOPICS, apply_review_event, create_review_tables
from projections.strategy_tables import (
    ALL_STATUSES,
    CLIENT_FACT_TOPICS,
    RECOMMENDATION_TOPICS,
    apply_client_fact_event,
    apply_recommendation_event,
    create_client_fact_tables,
    create_recommendation_tables,
)

PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}
MIN_QUARTERS, MAX_QUARTERS = 4, 12


class RoadmapProjection(AnswersIndexedAfterLoad, KeepsReviewTables, Projection):
    name = "roadmap"
    version = 3  # 2: review stage columns (review_tables); 3: answers only as aligned or not
    rebuild_cost = 1.1  # relative rebuild CPU per event (Projection.rebuild_cost)
    topics = tuple(dict.fromkeys(CLIENT_FACT_TOPICS + REVIEW_TOPICS + RECOMMENDATION_TOPICS))
    review_buffer = staticmethod(ALIGNED.buffer)
    answer_table = ALIGNED

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_client_fact_tables(cur)
        create_review_tables(cur, ALIGNED)
        create_recommendation_tables(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if type(event) is not Client.AnswerRecorded:  # most of the log: an answer row only
            apply_client_fact_event(cur, event)
        if not apply_review_event(cur, event, position, self.reviews.buffer, ALIGNED):
            apply_recommendation_event(cur, event)


@dataclass(frozen=True)
class Finding:
    standard_id: UUID
    resolved: bool
    resolved_in_review_id: UUID | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class RoadmapItem:
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
    findings: tuple[Finding, ...]

    @property
    def all_findings_resolved(self) -> bool:
        return bool(self.findings) and all(f.resolved for f in self.findings)

    @property
    def costs(self) -> bool:
        return self.status != "declined"


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    one_time: Decimal
    recurring: Decimal

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


@dataclass(frozen=True)
class RoadmapQuarter:
    label: str
    start: date
    end: date
    items: list[RoadmapItem]
    months: list[BudgetMonth]
    one_time: Decimal
    recurring: Decimal
    capital_one_time: Decimal

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


@dataclass(frozen=True)
class Roadmap:
    client_id: UUID
    client_name: str
    fiscal_year_start_month: int
    horizon_start: date
    horizon_end: date
    quarters: list[RoadmapQuarter]
    unscheduled: list[RoadmapItem]
    earlier: list[RoadmapItem]
    later: list[RoadmapItem]
    one_time: Decimal
    recurring: Decimal

    @property
    def months(self) -> list[BudgetMonth]:
        return [month for quarter in self.quarters for month in quarter.months]


ITEMS_SQL = """
SELECT recommendation_id, title, business_impact, status, priority, owner, one_time,
       recurring_monthly, estimated_hours, capital_expense, target_quarter_start, approved_at,
       completed_at, times_rescheduled
FROM recommendations WHERE tenant = %s AND client_id = %s AND status = ANY(%s)
"""

FINDINGS_SQL = """
SELECT rec.recommendation_id, f.standard_id, coalesce(last.aligned, false),
       CASE WHEN last.aligned THEN last.review_id END, CASE WHEN last.aligned THEN last.completed_at END
FROM recommendations rec
CROSS JOIN LATERAL unnest(rec.finding_standard_ids) WITH ORDINALITY AS f(standard_id, n)
LEFT JOIN reviews src ON src.review_id = rec.source_review_id
LEFT JOIN LATERAL (
    SELECT a.answer = a.expected_answer AS aligned, r.review_id, r.completed_at
    FROM answers a JOIN reviews r ON r.review_id = a.review_id
    WHERE a.client_id = rec.client_id AND a.standard_id = f.standard_id
      AND r.completed_at IS NOT NULL AND r.seq > coalesce(src.seq, 0)
    ORDER BY r.seq DESC LIMIT 1) last ON true
WHERE rec.tenant = %s AND rec.client_id = %s
ORDER BY rec.recommendation_id, f.n
"""


def check_statuses(statuses: Iterable[str] | None) -> list[str]:
    chosen = list(ALL_STATUSES if statuses is None else statuses)
    unknown = sorted(set(chosen) - set(ALL_STATUSES))
    if unknown:
        raise ValueError(f"unknown recommendation status {', '.join(unknown)}")
    return chosen


def roadmap_item(row: tuple[Any, ...], fy_month: int,
                 findings: dict[UUID, list[Finding]]) -> RoadmapItem:
    (recommendation_id, title, impact, status, priority, owner, one_time, recurring, hours,
     capital, target, approved_at, completed_at, times_rescheduled) = row
    return RoadmapItem(
        recommendation_id, title, impact, status, priority, owner, one_time, recurring, hours,
        capital, target,
        quarter_label(fiscal_quarter_start(target, fy_month), fy_month) if target else None,
        approved_at, completed_at, times_rescheduled, tuple(findings.get(recommendation_id, ())))


def sort_key(item: RoadmapItem) -> tuple[Any, ...]:
    return (item.target_quarter_start or date.max, PRIORITY_RANK[item.priority], item.title)


class RoadmapView:
    """Typed queries over the roadmap read model."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def roadmap(self, tenant: str, client_id: UUID, today: date, quarters: int = 4,
                statuses: Iterable[str] | None = None) -> Roadmap | None:
        """The next ``quarters`` fiscal quarters (4-12), starting with the one containing
        ``today``; ``statuses`` keeps only recommendations in those statuses."""
        if not MIN_QUARTERS <= quarters <= MAX_QUARTERS:
            raise ValueError(f"quarters must be between {MIN_QUARTERS} and {MAX_QUARTERS}")
        chosen = check_statuses(statuses)
        with self.reader.cursor(RoadmapProjection.name) as cur:
            cur.execute("SELECT name, fiscal_year_start_month FROM client_facts"
                        " WHERE tenant = %s AND client_id = %s", (tenant, client_id))
            client = cur.fetchone()
            if client is None:
                return None
            cur.execute(FINDINGS_SQL, (tenant, client_id))
            findings: dict[UUID, list[Finding]] = {}
            for r in cur.fetchall():
                findings.setdefault(r[0], []).append(Finding(*r[1:]))
            cur.execute(ITEMS_SQL, (tenant, client_id, chosen))
            rows = cur.fetchall()
        name, fy_month = client
        items = sorted((roadmap_item(r, fy_month, findings) for r in rows), key=sort_key)
        start = fiscal_quarter_start(today, fy_month)
        end = add_months(start, 3 * quarters)
        built = [build_quarter(add_months(start, 3 * n), fy_month, items) for n in range(quarters)]
        return Roadmap(
            client_id=client_id, client_name=name, fiscal_year_start_month=fy_month,
            horizon_start=start, horizon_end=end, quarters=built,
            unscheduled=[i for i in items if i.target_quarter_start is None],
            earlier=[i for i in items if i.target_quarter_start and i.target_quarter_start < start],
            later=[i for i in items if i.target_quarter_start and i.target_quarter_start >= end],
            one_time=sum((q.one_time for q in built), ZERO),
            recurring=sum((q.recurring for q in built), ZERO))


def build_quarter(start: date, fy_month: int, items: list[RoadmapItem]) -> RoadmapQuarter:
    end = add_months(start, 3)
    costing = [i for i in items if i.costs]
    months = []
    for month in months_from(start, 3):
        costs = [costs_in_month(month, i.target_quarter_start, i.one_time_budget,
                                i.recurring_monthly_budget) for i in costing]
        months.append(BudgetMonth(month, sum((c[0] for c in costs), ZERO),
                                  sum((c[1] for c in costs), ZERO)))
    inside = [i for i in items if i.target_quarter_start and start <= i.target_quarter_start < end]
    return RoadmapQuarter(
        label=quarter_label(start, fy_month), start=start, end=end, items=inside, months=months,
        one_time=sum((m.one_time for m in months), ZERO),
        recurring=sum((m.recurring for m in months), ZERO),
        capital_one_time=sum((i.one_time_budget for i in inside if i.costs and i.capital_expense),
                             ZERO))
