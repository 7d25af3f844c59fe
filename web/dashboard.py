"""The vCIO dashboard: what waits for the signed-in person (reviews to answer for a TAM, to rate
and to finalise for a vCIO; all of them for an admin), the reviews due before each client's next
strategy meeting, and the strategy metrics per vCIO and for the MSP, each against its target
band, coloured (and labelled, for those who cannot tell the colours apart) below / in / above.

Targets are the MSP's bands in force (its settings, else the defaults of ``projections.targets``:
clients, average MRR and MRR per vCIO, non-recurring share), and every client touched at least
as often as its cadence asks.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from aggregates.errors import InvalidValueError
from api.paging import decode_cursor, encode_cursor
from commands.results import Actor
from projections.client_areas import OverdueArea
from projections.fiscal import Period, add_months, month_start
from projections.review_stages import ReviewUnderWay
from projections.reviews_due import ReviewDue, ReviewsDueView
from projections.targets import Band, Targets
from projections.vcio_dashboard_figures import AreaCursor, VcioMetrics
from web.errors import BadRequest, web_router
from web.pages import Pages, money, percent, score_text
from web.ports import WebServices
from web.session import actor_dependency

TOUCH_OVERSHOOT = Decimal("1.5")
AREAS_PER_PAGE = 50
PERIOD_CHOICES = (1, 3, 6, 12)
WAITING = {"to_answer": ("tam", "Reviews to answer"), "to_rate": ("vcio", "Reviews to rate"),
           "to_finalise": ("vcio", "Reviews to finalise")}


@dataclass(frozen=True)
class WaitingList:
    key: str
    title: str
    reviews: list[ReviewUnderWay]


def waiting_for(actor: Actor, reviews: list[ReviewUnderWay]) -> list[WaitingList]:
    """The lists of the actor's role (every list for an admin), each holding the reviews of the
    clients the actor is the TAM or vCIO of (every client's for an admin)."""
    found = []
    for key, (role, title) in WAITING.items():
        if actor.role not in (role, "admin"):
            continue
        mine = [r for r in reviews if r.waiting_for == key
                and (actor.role == "admin" or getattr(r, role) == actor.name)]
        found.append(WaitingList(key, title, mine))
    return found


def reviews_due(services: WebServices, actor: Actor) -> list[ReviewDue] | None:
    """Reviews due before the next strategy meeting: a TAM's own clients, an admin's all."""
    if actor.role not in ("tam", "admin"):
        return None
    view = ReviewsDueView(services.client_directory, services.meeting_calendar)
    lead_days = services.msp_settings.review_lead_days(actor.tenant, services.clock())
    return view.reviews_due(actor.tenant, services.clock().date(), lead_days,
                            tam=actor.name if actor.role == "tam" else None)


@dataclass(frozen=True)
class Cell:
    text: str
    band: str | None = None  # below / in / above, or "attention" for a count that should be 0


@dataclass(frozen=True)
class MetricRow:
    label: str
    target: str
    cells: list[Cell]


def touch_band(metrics: VcioMetrics) -> str | None:
    target = metrics.touch_target
    if not target:
        return None
    return Band(target, target * TOUCH_OVERSHOOT).place(Decimal(metrics.counts.touches))


def band_text(band: Band, unit: str = "", currency: str | None = None) -> str:
    return f"{currency + ' ' if currency else ''}{band.low:,}–{band.high:,}{unit}"


def attention(count: int) -> Cell:
    return Cell(str(count), "attention" if count else None)


def metric_rows(columns: list[VcioMetrics], targets: Targets, currency: str) -> list[MetricRow]:
    def row(label: str, target: str, cell: Callable[[VcioMetrics], Cell]) -> MetricRow:
        return MetricRow(label, target, [cell(m) for m in columns])

    def clients(m: VcioMetrics) -> Cell:
        per_vcio = m.vcio is not None  # the MSP as a whole has no per-vCIO band
        return Cell(str(m.counts.clients),
                    targets.clients_per_vcio.place(Decimal(m.counts.clients)) if per_vcio else None)

    def mrr(m: VcioMetrics) -> Cell:
        return Cell(money(m.counts.mrr, currency),
                    targets.mrr_per_vcio.place(m.counts.mrr) if m.vcio is not None else None)

    return [
        row("Clients managed", f"{band_text(targets.clients_per_vcio)} per vCIO", clients),
        row("MRR managed", f"{band_text(targets.mrr_per_vcio, currency=currency)} per vCIO", mrr),
        row("Average MRR per client", band_text(targets.average_mrr, currency=currency),
            lambda m: Cell(money(m.average_mrr, currency), targets.average_mrr.place(m.average_mrr))),
        row("Clients lost in the period (turnover)", "",
            lambda m: Cell(f"{m.counts.clients_lost} ({money(m.counts.mrr_lost, currency)} MRR)")),
        row("Unique touches with decision makers", "at least the cadence",
            lambda m: Cell(f"{m.counts.touches} of {score_text(m.touch_target)}", touch_band(m))),
        row("Touches a month", f"{band_text(targets.touches_per_vcio_month)} per vCIO",
            lambda m: Cell(score_text(m.touches_per_month), m.touches_per_month_band)),
        row("Strategy meetings scheduled (next 12 months)", "",
            lambda m: Cell(str(m.counts.meetings_scheduled_next_12_months))),
        row("Meetings held in the period", "", lambda m: Cell(str(m.counts.meetings_held))),
        row("Meetings held a month", f"{band_text(targets.meetings_per_vcio_month)} per vCIO",
            lambda m: Cell(score_text(m.meetings_held_per_month), m.meetings_per_month_band)),
        row("Non-recurring revenue (share of MRR)", band_text(targets.nrr_share_percent, "%"),
            lambda m: Cell(f"{money(m.counts.non_recurring_revenue, currency)} ({percent(m.nrr_share)})",
                           m.nrr_band)),
        row("Approved projects in backlog", "",
            lambda m: Cell(f"{m.counts.backlog_count} ({money(m.counts.backlog_one_time, currency)})")),
        row("Technology reviews completed", "", lambda m: Cell(str(m.counts.reviews_completed))),
        row("Budgets completed for next fiscal year", "",
            lambda m: Cell(f"{m.counts.budgets_completed} of {m.counts.clients}")),
        row("Open action items", "", lambda m: Cell(str(m.counts.open_action_items))),
        row("Overdue action items", "0", lambda m: attention(m.counts.overdue_action_items)),
        row("Overdue review areas", "0", lambda m: attention(m.overdue_review_areas)),
    ]


def area_cursor(after: str | None) -> AreaCursor | None:
    if after is None:
        return None
    try:
        name, client_id, category = decode_cursor(after, (str, UUID, str))
    except InvalidValueError as error:
        raise BadRequest("That link to more overdue areas is broken; open the dashboard again.") from error
    return AreaCursor(str(name), UUID(str(client_id)), str(category))


def next_areas(found: list[OverdueArea]) -> str | None:
    if len(found) < AREAS_PER_PAGE:
        return None
    last = found[-1]
    return encode_cursor(last.client_name, last.client_id, last.category)


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    @router.get("/dashboard")
    def dashboard(request: Request, actor: ActorDep,
                  months: Annotated[int, Query()] = 3,
                  areas_after: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
        if months not in PERIOD_CHOICES:
            raise BadRequest("Choose a period of 1, 3, 6 or 12 months.")
        after = area_cursor(areas_after)
        today = services.clock().date()
        period = Period(add_months(month_start(today), 1 - months), today + timedelta(days=1))
        found = services.vcio_dashboard.dashboard_in_force(
            services.msp_settings, actor.tenant, period, today, None, services.clock())
        columns = [found.msp, *found.vcios]
        areas = services.vcio_dashboard.overdue_areas(actor.tenant, today, after=after,
                                                      limit=AREAS_PER_PAGE)
        return pages.render(request, "dashboard.html", actor, section="dashboard",
                            title="vCIO dashboard", dashboard=found, months=months,
                            choices=PERIOD_CHOICES, headings=["Whole MSP", *(v.vcio for v in found.vcios)],
                            rows=metric_rows(columns, found.targets,
                                             services.msp_settings.currency(actor.tenant, services.clock())),
                            areas=areas,
                            areas_next=next_areas(areas), areas_continued=after is not None,
                            waiting=waiting_for(actor, services.alignment.reviews_under_way(actor.tenant)),
                            due=reviews_due(services, actor))

    return router
