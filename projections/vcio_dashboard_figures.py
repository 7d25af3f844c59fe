"""The vCIO dashboard's figures: one vCIO's counts (or the MSP's, summed), and what is worked
out from them against the MSP's target bands."""

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import add, attrgetter
from uuid import UUID

from projections.fiscal import ZERO, Period
from projections.targets import DEFAULT_TARGETS, Band, Targets

CENT, TENTH = Decimal("0.01"), Decimal("0.1")


@dataclass(frozen=True)
class Counts:
    """One vCIO's (or a roll-up's) countable figures; summed field by field."""

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
        return Counts(*map(add, _values(self), _values(other)))


# Every field's value, in order, by one C call (``fields()`` on each addition was a hot loop of
# the dashboard view).
_values = attrgetter(*(f.name for f in fields(Counts)))


@dataclass(frozen=True)
class VcioMetrics:
    """The dashboard of one vCIO (``vcio``), or of the whole MSP (``vcio`` None)."""

    vcio: str | None
    counts: Counts
    period_months: Decimal
    overdue_review_areas: int = 0  # listed a page at a time by VcioDashboardView.overdue_areas
    nrr_target: Band = DEFAULT_TARGETS.nrr_share_percent  # the MSP's band in force
    touches_per_month_target: Band = DEFAULT_TARGETS.touches_per_vcio_month  # likewise
    meetings_per_month_target: Band = DEFAULT_TARGETS.meetings_per_vcio_month  # likewise

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
    def touches_per_month(self) -> Decimal | None:
        """Unique touches held in the period, a month on average (None for an empty period)."""
        return self.per_month(self.counts.touches)

    @property
    def meetings_held_per_month(self) -> Decimal | None:
        return self.per_month(self.counts.meetings_held)

    @property
    def touches_per_month_band(self) -> str | None:
        """below / in / above ``touches_per_month_target``; None for the whole MSP, as the band
        is one vCIO's workload."""
        return None if self.vcio is None else self.touches_per_month_target.place(self.touches_per_month)

    @property
    def meetings_per_month_band(self) -> str | None:
        if self.vcio is None:
            return None
        return self.meetings_per_month_target.place(self.meetings_held_per_month)

    def per_month(self, count: int) -> Decimal | None:
        if not self.period_months:
            return None
        return (Decimal(count) / self.period_months).quantize(TENTH, ROUND_HALF_UP)


def placed_against(targets: Targets) -> tuple[Band, Band, Band]:
    """The bands a vCIO's figures are placed against, in ``VcioMetrics``' field order."""
    return targets.nrr_share_percent, targets.touches_per_vcio_month, targets.meetings_per_vcio_month


@dataclass(frozen=True)
class Dashboard:
    tenant: str
    period: Period
    today: date
    msp: VcioMetrics
    vcios: list[VcioMetrics]
    targets: Targets = DEFAULT_TARGETS  # the MSP's target bands in force


@dataclass(frozen=True)
class AreaCursor:
    """Where a page of overdue areas ends: the last area's client name, client and category."""

    client_name: str
    client_id: UUID
    category: str
