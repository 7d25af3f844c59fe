"""Read model: how is each vCIO, and the MSP as a whole, doing over a chosen period?

Every figure is computed per client and rolled up by the client's current vCIO, and over all
clients for the MSP; ``period`` is [start, end) and ``today`` anchors the forward-looking ones.
Meetings held and touches stay with the vCIO in charge of the client on their day (a
reassignment moves only what is ahead), from the client's dated history
(``projections.client_history_tables``).
- clients managed, total MRR and average MRR (current MRR);
- meetings scheduled (planned) from ``today`` for 12 months, and meetings held in the period;
- touches that count toward cadence in the period against the target (each client's target per
  month, as ``projections.touch_cadence`` sets it, times the period's length in months);
- non-recurring revenue: one-time budgets of recommendations approved in the period, as a share
  of MRR over the period (each MRR times the months of the period it was in force), against the
  MSP's band (``projections.targets`` by default);
- approved-project backlog: approved or in-progress recommendations (count and one-time total);
- reviews completed in the period;
- budgets completed: clients with at least one approved (or in-progress or completed)
  recommendation targeted in their *next* fiscal year, the one after the year containing
  ``today``;
- open and overdue action items (overdue: open with a follow-up date before ``today``);
- overdue review areas as of ``today``: a standard is due by its own frequency from the
  client's latest finalised answer, an area when any standard in it is (``projections.client_areas``);
- turnover: clients whose offboarding took effect in the period (and still holds), and their MRR
  when the offboarding was recorded, counted for the vCIO they had then.

A client offboarded on or before ``today`` is left out of every other figure (counts, MRR,
targets, meetings ahead, action items, overdue areas); its history stays in the log and in the
as-of views.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from psycopg import Cursor

from aggregates.cadence_rules import PlanningRules
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.client_areas import (
    CLIENT_AREA_TOPICS,
    OVERDUE_AREAS_SQL,
    apply_client_area_event,
    create_client_area_tables,
    recompute_tenant,
)
from projections.client_areas import (
    OverdueArea as OverdueArea,  # re-exported: the API schema derives from it
)
from projections.client_history_tables import apply_history_event, create_history_tables, mrr_months
from projections.fiscal import ZERO, Period
from projections.lifecycle_tables import (
    LIFECYCLE_TOPICS,
    apply_lifecycle_event,
    create_lifecycle_tables,
)
from projections.meeting_tables import (
    MEETING_TOPICS,
    TOUCH_TOPICS,
    apply_meeting_event,
    apply_touch_event,
    create_meeting_tables,
    create_touch_tables,
)
from projections.review_area_tables import (
    REVIEW_AREA_TOPICS,
    apply_review_area_event,
    create_review_area_tables,
)
from projections.strategy_tables import (
    CLIENT_CADENCE_TOPICS,
    CLIENT_FACT_TOPICS,
    RECOMMENDATION_TOPICS,
    apply_client_cadence_event,
    apply_client_fact_event,
    apply_recommendation_event,
    create_client_cadence_tables,
    create_client_fact_tables,
    create_recommendation_tables,
)
from projections.targets import DEFAULT_TARGETS, Band, Targets
from projections.touch_cadence import DEFAULT_RULES, RulesSource, target_touches_per_month
from projections.vcio_dashboard_sql import DONE_BY_SQL, OFFBOARDED_SQL, PER_CLIENT_SQL, TURNOVER_SQL

CENT, TENTH = Decimal("0.01"), Decimal("0.1")


class VcioDashboardProjection(Projection):
    name = "vcio_dashboard"
    # 2: touch targets follow plans and overrides; 3: offboarding and turnover; 4: dated client
    # history (MRR of the period, the vCIO of the day), turnover at the offboarding's MRR;
    # 5: review areas due per standard, kept per client (projections.client_areas); 6: a loss
    # reversed after it took effect stays in turnover
    version = 6
    topics = (CLIENT_FACT_TOPICS + CLIENT_CADENCE_TOPICS + RECOMMENDATION_TOPICS + MEETING_TOPICS
              + TOUCH_TOPICS + REVIEW_AREA_TOPICS + LIFECYCLE_TOPICS + CLIENT_AREA_TOPICS)

    def __init__(self) -> None:
        self._batch = threading.local()

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_client_fact_tables(cur)
        create_client_cadence_tables(cur)
        create_recommendation_tables(cur)
        create_meeting_tables(cur)
        create_touch_tables(cur)
        create_review_area_tables(cur)
        create_lifecycle_tables(cur)
        create_history_tables(cur)
        create_client_area_tables(cur)

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        """Tenants whose library changed have their clients' areas computed once, at the end."""
        dirty: set[str] = set()
        self._batch.dirty = dirty
        try:
            yield
            for tenant in sorted(dirty):
                recompute_tenant(cur, tenant)
        finally:
            self._batch.dirty = None

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_history_event(cur, event, position)
        (apply_client_fact_event(cur, event) or apply_client_cadence_event(cur, event)
         or apply_recommendation_event(cur, event) or apply_meeting_event(cur, event)
         or apply_touch_event(cur, event) or apply_review_area_event(cur, event)
         or apply_lifecycle_event(cur, event))
        apply_client_area_event(cur, event, getattr(self._batch, "dirty", None))


@dataclass(frozen=True)
class Counts:
    """One client's (or a roll-up's) countable figures; summed field by field."""

    clients: int = 0
    mrr: Decimal = ZERO
    touch_target_per_month: int = 0
    meetings_scheduled_next_12_months: int = 0
    meetings_held: int = 0
    touches: int = 0
    non_recurring_revenue: Decimal = ZERO
    backlog_count: int = 0
    backlog_one_time: Decimal = ZERO
    reviews_completed: int = 0
    budgets_completed: int = 0
    open_action_items: int = 0
    overdue_action_items: int = 0
    clients_lost: int = 0
    mrr_lost: Decimal = ZERO
    mrr_months: Decimal = ZERO  # MRR times months over the period, each MRR while in force

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class VcioMetrics:
    """The dashboard of one vCIO (``vcio``), or of the whole MSP (``vcio`` None)."""

    vcio: str | None
    counts: Counts
    period_months: Decimal
    overdue_areas: tuple[OverdueArea, ...]
    nrr_target: Band = DEFAULT_TARGETS.nrr_share_percent  # the MSP's band in force

    @property
    def average_mrr(self) -> Decimal | None:
        if not self.counts.clients:
            return None
        return (self.counts.mrr / self.counts.clients).quantize(CENT, ROUND_HALF_UP)

    @property
    def touch_target(self) -> Decimal:
        return (self.counts.touch_target_per_month * self.period_months).quantize(CENT)

    @property
    def mrr_over_period(self) -> Decimal:
        return self.counts.mrr_months.quantize(CENT, ROUND_HALF_UP)

    @property
    def nrr_share(self) -> Decimal | None:
        """Non-recurring revenue as a percentage of MRR over the period."""
        if not self.mrr_over_period:
            return None
        share = Decimal(100) * self.counts.non_recurring_revenue / self.mrr_over_period
        return share.quantize(TENTH, ROUND_HALF_UP)

    @property
    def nrr_band(self) -> str | None:
        return self.nrr_target.place(self.nrr_share)

    @property
    def overdue_review_areas(self) -> int:
        return len(self.overdue_areas)


@dataclass(frozen=True)
class Dashboard:
    tenant: str
    period: Period
    today: date
    msp: VcioMetrics
    vcios: list[VcioMetrics]
    targets: Targets = DEFAULT_TARGETS  # the MSP's target bands in force


def client_counts(row: tuple[Any, ...], rules: PlanningRules | None = None) -> Counts:
    (_, scheduled, held, touches, nrr, backlog, backlog_amount, reviews, next_fy_approved,
     open_items, overdue_items, _, mrr, users, complexity, planned, override) = row
    return Counts(
        clients=1, mrr=mrr,
        touch_target_per_month=target_touches_per_month(mrr, users, complexity, planned, override,
                                                        rules),
        meetings_scheduled_next_12_months=scheduled, meetings_held=held, touches=touches,
        non_recurring_revenue=nrr, backlog_count=backlog, backlog_one_time=backlog_amount,
        reviews_completed=reviews, budgets_completed=1 if next_fy_approved else 0,
        open_action_items=open_items, overdue_action_items=overdue_items)


def roll_up(vcio: str | None, counts: Iterable[Counts], period: Period,
            areas: Iterable[OverdueArea], targets: Targets = DEFAULT_TARGETS) -> VcioMetrics:
    return VcioMetrics(vcio, sum(counts, Counts()), period.months, tuple(areas),
                       targets.nrr_share_percent)


class VcioDashboardView:
    """Typed queries over the vCIO dashboard read model."""

    def __init__(self, reader: ProjectionReader, rules: RulesSource = DEFAULT_RULES) -> None:
        self.reader = reader
        self.rules = rules

    def dashboard(self, tenant: str, period: Period, today: date,
                  vcio: str | None = None, targets: Targets = DEFAULT_TARGETS) -> Dashboard:
        """The MSP's figures and each vCIO's (only ``vcio``'s when given, and then ``msp``
        covers that vCIO's clients only), placed against ``targets`` (the MSP's bands)."""
        today_at = datetime.combine(today, time(), UTC)
        params = {"tenant": tenant, "vcio": vcio, "start": period.start_at, "end": period.end_at,
                  "today": today_at, "today_date": today, "start_date": period.start,
                  "end_date": period.end}
        with self.reader.cursor(VcioDashboardProjection.name) as cur:
            cur.execute(PER_CLIENT_SQL, params)
            rows = cur.fetchall()
            cur.execute(OVERDUE_AREAS_SQL, {"tenant": tenant, "vcio": vcio, "today": today_at})
            area_rows = cur.fetchall()
            cur.execute(TURNOVER_SQL, params)
            lost = cur.fetchall()
            cur.execute(OFFBOARDED_SQL, params)
            offboarded = {r[0] for r in cur.fetchall()}
            cur.execute(DONE_BY_SQL, params)
            done_by = cur.fetchall()
            in_period = mrr_months(cur, tenant, period)
        rules = self.rules.cadence_rules_or_defaults(tenant, today_at)
        by_vcio: dict[str, list[Counts]] = defaultdict(list)
        current = {row[0]: row[11] for row in rows}
        for row in rows:
            counts = client_counts(row, rules)
            by_vcio[row[11]].append(replace(
                counts, mrr_months=in_period.get(row[0], counts.mrr * period.months)))
        for client_id, then, held, touched in done_by:  # the vCIO of the day keeps the work
            now = current.get(client_id)
            if now is not None and then is not None and then != now:
                by_vcio[now].append(Counts(meetings_held=-int(held), touches=-int(touched)))
                if vcio is None:
                    by_vcio[then].append(Counts(meetings_held=int(held), touches=int(touched)))
        for lost_vcio, lost_mrr in lost:
            by_vcio[lost_vcio].append(Counts(clients_lost=1, mrr_lost=lost_mrr))
        overdue: dict[str, list[OverdueArea]] = defaultdict(list)
        for client_id, name, client_vcio, category, months, last, due in area_rows:
            if client_id not in offboarded:
                overdue[client_vcio].append(OverdueArea(client_id, name, category, months, last, due))
        vcios = [roll_up(v, by_vcio[v], period, overdue[v], targets) for v in sorted(by_vcio)]
        msp = roll_up(None, [c for v in by_vcio.values() for c in v], period,
                      [a for v in sorted(overdue) for a in overdue[v]], targets)
        return Dashboard(tenant, period, today, msp, vcios, targets)
