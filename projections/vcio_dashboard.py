"""Read model: how is each vCIO, and the MSP as a whole, doing over a chosen period?

Every figure is computed per client and rolled up by the client's current vCIO, and over all
clients for the MSP; ``period`` is [start, end) and ``today`` anchors the forward-looking ones.
A read answers one row per vCIO, summed inside PostgreSQL (``projections.vcio_dashboard_sql``)
from what the projection keeps as events arrive: per client (``projections.vcio_dashboard_totals``)
and per vCIO and day (``projections.vcio_dashboard_days``: the period's activity, meetings ahead,
overdue items and areas); the overdue areas themselves are read a page at a time
(``VcioDashboardView.overdue_areas``), the dashboard counts them.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from psycopg import Cursor

from aggregates.cadence_rules import PlanningRules
from aggregates.client import Client
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.client_areas import (
    CLIENT_AREA_TOPICS,
    apply_client_area_event,
    create_client_area_tables,
    recompute_tenant,
)
from projections.client_areas import (
    OverdueArea as OverdueArea,  # re-exported: the API schema derives from it
)
from projections.client_history_tables import apply_history_event, create_history_tables, over_period
from projections.directory_tables import apply_answer_event, pending_buffer
from projections.fiscal import Period
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
from projections.review_batch import KeepsReviewTables
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
from projections.targets import DEFAULT_TARGETS, Targets
from projections.touch_cadence import DEFAULT_RULES, RulesSource
from projections.vcio_dashboard_days import create_days_tables, recompute_days
from projections.vcio_dashboard_figures import (
    AreaCursor,
    Counts,
    Dashboard,
    VcioMetrics,
    placed_against,
)
from projections.vcio_dashboard_sql import CHANGED_MRR_SQL, OVERDUE_AREAS_PAGE_SQL, per_vcio_statement
from projections.vcio_dashboard_totals import (
    apply_totals_event,
    create_totals_tables,
)


class VcioDashboardProjection(KeepsReviewTables, Projection):
    name = "vcio_dashboard"
    # 2: touch targets follow plans and overrides; 3: offboarding and turnover; 4: dated client
    # history (MRR of the period, the vCIO of the day), turnover at the offboarding's MRR;
    # 5: review areas due per standard, kept per client (projections.client_areas); 6: a loss
    # reversed after it took effect stays in turnover; 7: per-client totals kept as events
    # arrive, and indexes by tenant and time (the read sums a row per vCIO); 8: day buckets per
    # vCIO kept as events arrive (projections.vcio_dashboard_days; the read sums them), an
    # index of dated MRR values (only clients whose MRR changed are read one by one)
    version = 8
    rebuild_cost = 1.25  # relative rebuild CPU per event (Projection.rebuild_cost)
    topics = (CLIENT_FACT_TOPICS + CLIENT_CADENCE_TOPICS + RECOMMENDATION_TOPICS + MEETING_TOPICS
              + TOUCH_TOPICS + REVIEW_AREA_TOPICS + LIFECYCLE_TOPICS + CLIENT_AREA_TOPICS)

    #: Rebuild mode: a review's answers wait in memory, not in ``pending_answers``, until it
    #: is finalised (as in the client directory).
    review_buffer = staticmethod(pending_buffer)

    def __init__(self) -> None:
        super().__init__()
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
        create_totals_tables(cur)
        create_days_tables(cur)

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        """Tenants whose library changed have their clients' areas computed once, at the end;
        then the day buckets of every client the batch touched (all of those tenants')."""
        dirty: set[str] = set()
        clients: set[UUID] = set()
        self._batch.dirty, self._batch.clients = dirty, clients
        try:
            with self.reviews.batch(cur):
                yield
            for tenant in sorted(dirty):
                recompute_tenant(cur, tenant)
            recompute_days(cur, clients, dirty)
        finally:
            self._batch.dirty = self._batch.clients = None

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if type(event) is Client.AnswerRecorded:  # most of the log: only a pending answer
            apply_answer_event(cur, event, self.reviews.buffer)
            self._touched(cur, event)
            return
        apply_history_event(cur, event, position)
        (apply_client_fact_event(cur, event) or apply_client_cadence_event(cur, event)
         or apply_recommendation_event(cur, event) or apply_meeting_event(cur, event)
         or apply_touch_event(cur, event) or apply_review_area_event(cur, event)
         or apply_lifecycle_event(cur, event))
        apply_totals_event(cur, event)
        apply_client_area_event(cur, event, getattr(self._batch, "dirty", None),
                                self.reviews.buffer)
        self._touched(cur, event)

    def _touched(self, cur: Cursor[Any], event: Any) -> None:
        """The client's day buckets, once the batch ends (outside a batch: at once)."""
        ours = isinstance(event, Client.Event)
        clients = getattr(self._batch, "clients", None)
        if clients is None:  # outside a batch: at once (a library change: its whole tenant)
            recompute_days(cur, [event.originator_id] if ours else [], [] if ours else [event.tenant])
        elif ours:
            clients.add(event.originator_id)


def vcio_counts(row: tuple[Any, ...], mrr_months: Decimal) -> tuple[Counts, int]:
    """One row of ``PER_VCIO_SQL`` (after its ``vcio``, up to its MRR columns) as counts, and
    its overdue areas."""
    (clients, mrr, target, scheduled, held, touches, nrr, backlog, backlog_amount, reviews,
     budgets, open_items, overdue_items, lost, mrr_lost, overdue_areas) = row
    return Counts(
        clients=clients, mrr=mrr, touch_target_per_month=target,
        meetings_scheduled_next_12_months=scheduled, meetings_held=held, touches=touches,
        non_recurring_revenue=nrr, backlog_count=backlog, backlog_one_time=backlog_amount,
        reviews_completed=reviews, budgets_completed=budgets, open_action_items=open_items,
        overdue_action_items=overdue_items, clients_lost=lost, mrr_lost=mrr_lost,
        mrr_months=mrr_months), overdue_areas


# Every join of the per-vCIO statement is set against set; a generation built moments ago has no
# planner statistics yet, and without them PostgreSQL nests loops over thousands of rows
# (measured at 1,000 clients: 3.9 s against 52 ms once analysed). Set with the search path.
NO_NESTED_LOOPS = {"enable_nestloop": "off"}


class DashboardSettings(Protocol):
    """Where the dashboard reads the MSP's target bands and cadence rules in its own
    transaction (the MSP's settings read model)."""

    def dashboard_settings(self, cur: Cursor[Any], tenant: str, now: datetime,
                           today_at: datetime) -> tuple[Targets, PlanningRules]: ...


class VcioDashboardView:
    """Typed queries over the vCIO dashboard read model."""

    def __init__(self, reader: ProjectionReader, rules: RulesSource = DEFAULT_RULES) -> None:
        self.reader = reader
        self.rules = rules

    def dashboard(self, tenant: str, period: Period, today: date,
                  vcio: str | None = None, targets: Targets = DEFAULT_TARGETS) -> Dashboard:
        """The MSP's figures and each vCIO's (only ``vcio``'s when given, and then ``msp``
        covers that vCIO's clients only), placed against ``targets`` (the MSP's bands)."""
        rules = self.rules.cadence_rules_or_defaults(tenant, datetime.combine(today, time(), UTC))
        with self.reader.transaction() as cur:
            found = self._figures(cur, tenant, period, today, vcio, rules)
        return self._assembled(tenant, period, today, targets, *found)

    def dashboard_in_force(self, settings: DashboardSettings, tenant: str, period: Period,
                           today: date, vcio: str | None, now: datetime) -> Dashboard:
        """``dashboard`` placed against the target bands in force at ``now``, the settings read
        from ``settings`` in the same transaction as the figures: one snapshot, and one
        transaction a request where there were three."""
        with self.reader.transaction() as cur:  # dashboard_settings points it at the settings
            targets, rules = settings.dashboard_settings(cur, tenant, now,
                                                         datetime.combine(today, time(), UTC))
            found = self._figures(cur, tenant, period, today, vcio, rules)
        return self._assembled(tenant, period, today, targets, *found)

    def _figures(self, cur: Cursor[Any], tenant: str, period: Period, today: date, vcio: str | None,
                 rules: PlanningRules) -> tuple[list[tuple[Any, ...]], dict[str, Decimal], Decimal]:
        """Each vCIO's row of ``PER_VCIO_SQL``, its MRR times months over the period, and the
        period's months, read in ``cur``'s transaction."""
        params = {"tenant": tenant, "vcio": vcio, "start": period.start_at, "end": period.end_at,
                  "today": datetime.combine(today, time(), UTC), "today_date": today,
                  "start_date": period.start, "end_date": period.end}
        self.reader.use(cur, VcioDashboardProjection.name, NO_NESTED_LOOPS)
        cur.execute(per_vcio_statement(rules), params)
        rows = cur.fetchall()
        months = period.months  # worked out once: a loop over the period's months
        mrr_months = {row[0]: row[-2] * months for row in rows}
        if any(row[-1] for row in rows):
            cur.execute(CHANGED_MRR_SQL, params)
            changed: dict[tuple[str, UUID], list[tuple[date | None, Decimal]]] = defaultdict(list)
            for vcio_now, client_id, effective_on, value in cur.fetchall():
                changed[vcio_now, client_id].append((effective_on, Decimal(value)))
            for (vcio_now, _), values in changed.items():
                mrr_months[vcio_now] += over_period(values, period)
        return rows, mrr_months, months

    @staticmethod
    def _assembled(tenant: str, period: Period, today: date, targets: Targets,
                   rows: list[tuple[Any, ...]], mrr_months: dict[str, Decimal],
                   months: Decimal) -> Dashboard:
        vcios, msp = [], Counts()
        overdue_total = 0
        for row in rows:
            counts, overdue = vcio_counts(row[1:-2], mrr_months[row[0]])
            vcios.append(VcioMetrics(row[0], counts, months, overdue, *placed_against(targets)))
            msp, overdue_total = msp + counts, overdue_total + overdue
        return Dashboard(tenant, period, today, VcioMetrics(
            None, msp, months, overdue_total, *placed_against(targets)), vcios, targets)

    def overdue_areas(self, tenant: str, today: date, vcio: str | None = None,
                      after: AreaCursor | None = None, limit: int = 100) -> list[OverdueArea]:
        """Active clients' overdue review areas as of ``today`` (only ``vcio``'s clients when
        given), by client name, client and category; ``after`` continues from a page's last."""
        with self.reader.cursor(VcioDashboardProjection.name) as cur:
            cur.execute(OVERDUE_AREAS_PAGE_SQL, {
                "tenant": tenant, "vcio": vcio, "today": datetime.combine(today, time(), UTC),
                "today_date": today, "limit": limit,
                "after_name": after.client_name if after else None,
                "after_client": after.client_id if after else None,
                "after_category": after.category if after else None})
            return [OverdueArea(*row) for row in cur.fetchall()]
