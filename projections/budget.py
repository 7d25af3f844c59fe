"""Read model: what will clients spend, committed and pending, month by month?

Per client (in the client's fiscal quarters) and per MSP (in the MSP's own quarters, January by
default): approved versus proposed, one-time versus recurring, per month and per quarter.
*Approved* means approved, in progress or completed; *proposed* means proposed or presented and
not yet decided; declined recommendations are left out. Costs fall into months by the rule in
``projections.fiscal`` (one-time in the month the target quarter starts, recurring in every
month from then on); unscheduled recommendations are totalled apart.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor

from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.fiscal import (
    ZERO,
    costs_in_month,
    fiscal_quarter_start,
    months_from,
    quarter_label,
)
from projections.strategy_tables import (
    APPROVED_STATUSES,
    CLIENT_FACT_TOPICS,
    PENDING_STATUSES,
    RECOMMENDATION_TOPICS,
    apply_client_fact_event,
    apply_recommendation_event,
    create_client_fact_tables,
    create_recommendation_tables,
)

MAX_MONTHS = 120


class BudgetProjection(Projection):
    name = "budget"
    topics = CLIENT_FACT_TOPICS + RECOMMENDATION_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_client_fact_tables(cur)
        create_recommendation_tables(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_client_fact_event(cur, event) or apply_recommendation_event(cur, event)


@dataclass(frozen=True)
class BudgetLine:
    """The money of one month, one quarter, or one client over a window."""

    label: str
    start: date | None
    approved_one_time: Decimal
    approved_recurring: Decimal
    proposed_one_time: Decimal
    proposed_recurring: Decimal
    client_id: UUID | None = None

    @property
    def approved_total(self) -> Decimal:
        return self.approved_one_time + self.approved_recurring

    @property
    def proposed_total(self) -> Decimal:
        return self.proposed_one_time + self.proposed_recurring


@dataclass(frozen=True)
class Budget:
    """``unscheduled`` holds one-time totals and recurring *monthly* amounts of recommendations
    without a target quarter; ``clients`` is one line per client (empty for a client budget)."""

    tenant: str
    client_id: UUID | None
    fiscal_year_start_month: int
    months: list[BudgetLine]
    quarters: list[BudgetLine]
    total: BudgetLine
    unscheduled: BudgetLine
    clients: list[BudgetLine]


@dataclass(frozen=True)
class Costing:
    client_id: UUID
    client_name: str
    approved: bool
    one_time: Decimal
    recurring: Decimal
    target: date | None


def add_lines(label: str, start: date | None, lines: Iterable[BudgetLine]) -> BudgetLine:
    chosen = list(lines)
    return BudgetLine(label, start,
                      approved_one_time=sum((x.approved_one_time for x in chosen), ZERO),
                      approved_recurring=sum((x.approved_recurring for x in chosen), ZERO),
                      proposed_one_time=sum((x.proposed_one_time for x in chosen), ZERO),
                      proposed_recurring=sum((x.proposed_recurring for x in chosen), ZERO))


def line_for(label: str, start: date | None, months: list[date],
             costings: Iterable[Costing], client_id: UUID | None = None) -> BudgetLine:
    sums = {True: [ZERO, ZERO], False: [ZERO, ZERO]}
    for c in costings:
        for month in months:
            one_time, recurring = costs_in_month(month, c.target, c.one_time, c.recurring)
            sums[c.approved][0] += one_time
            sums[c.approved][1] += recurring
    return BudgetLine(label, start, approved_one_time=sums[True][0],
                      approved_recurring=sums[True][1], proposed_one_time=sums[False][0],
                      proposed_recurring=sums[False][1], client_id=client_id)


def build_budget(tenant: str, client_id: UUID | None, fy_month: int, months: list[date],
                 costings: list[Costing]) -> Budget:
    scheduled = [c for c in costings if c.target is not None]
    month_lines = [line_for(m.strftime("%Y-%m"), m, [m], scheduled) for m in months]
    by_quarter: dict[date, list[BudgetLine]] = defaultdict(list)
    for month, line in zip(months, month_lines, strict=True):
        by_quarter[fiscal_quarter_start(month, fy_month)].append(line)
    quarters = [add_lines(quarter_label(q, fy_month), q, lines) for q, lines in by_quarter.items()]
    unscheduled = [c for c in costings if c.target is None]
    unscheduled_line = BudgetLine(
        "unscheduled", None,
        sum((c.one_time for c in unscheduled if c.approved), ZERO),
        sum((c.recurring for c in unscheduled if c.approved), ZERO),
        sum((c.one_time for c in unscheduled if not c.approved), ZERO),
        sum((c.recurring for c in unscheduled if not c.approved), ZERO))
    per_client: dict[UUID, list[Costing]] = defaultdict(list)
    for c in scheduled:
        per_client[c.client_id].append(c)
    clients = [] if client_id else sorted(
        (line_for(group[0].client_name, None, months, group, cid) for cid, group in per_client.items()),
        key=lambda line: (-line.approved_total, line.label))
    return Budget(tenant, client_id, fy_month, month_lines, quarters,
                  add_lines("total", months[0], month_lines), unscheduled_line, clients)


COSTINGS_SQL = """
SELECT r.client_id, c.name, r.status = ANY(%(approved)s), r.one_time, r.recurring_monthly,
       r.target_quarter_start
FROM recommendations r JOIN client_facts c ON c.client_id = r.client_id
WHERE r.tenant = %(tenant)s AND (%(client)s::uuid IS NULL OR r.client_id = %(client)s)
  AND r.status = ANY(%(statuses)s)
"""


class BudgetView:
    """Typed queries over the budget read model."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def _costings(self, cur: Cursor[Any], tenant: str, client_id: UUID | None) -> list[Costing]:
        cur.execute(COSTINGS_SQL, {"tenant": tenant, "client": client_id,
                                   "approved": list(APPROVED_STATUSES),
                                   "statuses": list(APPROVED_STATUSES + PENDING_STATUSES)})
        return [Costing(*r) for r in cur.fetchall()]

    def client_budget(self, tenant: str, client_id: UUID, today: date,
                      quarters: int = 4) -> Budget | None:
        """The next ``quarters`` fiscal quarters of the client, from the one containing ``today``."""
        if not 1 <= quarters <= MAX_MONTHS // 3:
            raise ValueError(f"quarters must be between 1 and {MAX_MONTHS // 3}")
        with self.reader.cursor(BudgetProjection.name) as cur:
            cur.execute("SELECT fiscal_year_start_month FROM client_facts"
                        " WHERE tenant = %s AND client_id = %s", (tenant, client_id))
            row = cur.fetchone()
            if row is None:
                return None
            costings = self._costings(cur, tenant, client_id)
        fy_month = int(row[0])
        months = months_from(fiscal_quarter_start(today, fy_month), 3 * quarters)
        return build_budget(tenant, client_id, fy_month, months, costings)

    def msp_budget(self, tenant: str, first_month: date, months: int = 12,
                   fiscal_year_start_month: int = 1) -> Budget:
        """Every client of the MSP over ``months`` months from ``first_month``, grouped into
        the MSP's quarters (its fiscal year starting in ``fiscal_year_start_month``)."""
        if not 1 <= months <= MAX_MONTHS:
            raise ValueError(f"months must be between 1 and {MAX_MONTHS}")
        if not 1 <= fiscal_year_start_month <= 12:
            raise ValueError("fiscal_year_start_month must be a month number 1-12")
        with self.reader.cursor(BudgetProjection.name) as cur:
            costings = self._costings(cur, tenant, None)
        window = months_from(first_month, months)
        return build_budget(tenant, None, fiscal_year_start_month, window, costings)
