"""Answer bodies of the strategy read models: roadmap, budget, meeting calendar, action items,
touch cadence, vCIO dashboard and QBR pack. Each is its view's fields plus the derived figures
the view computes (``properties``: totals, shares, bands), never recomputed here.

Money and shares are decimal strings (``"1200.00"``, ``"27.8"``); shares are percentages. Money
is in the MSP's currency in force now, named by the ``currency`` of the budget, roadmap and QBR
pack answers.
(Kept beside the strategy routers until ``api/schemas`` takes them in as ``strategy.py``.)
"""

from pydantic import BaseModel

import api.schemas.alignment  # noqa: F401  declares the alignment models the QBR pack nests
import api.schemas.scorecard  # noqa: F401  declares the scorecard models the QBR pack nests
from api.schemas.common import ViewModel
from projections.budget import Budget, BudgetLine
from projections.client_areas import OverdueArea
from projections.fiscal import Period
from projections.meeting_calendar import ActionItem, CalendarMeeting, MeetingCalendar
from projections.qbr_pack import QbrPack
from projections.roadmap import BudgetMonth, Finding, Roadmap, RoadmapItem, RoadmapQuarter
from projections.targets import Band, Targets
from projections.touch_cadence import ClientCadence, MonthTouches
from projections.vcio_dashboard_figures import Counts, Dashboard, VcioMetrics


class PeriodPublic(ViewModel, view=Period, properties=("months",)):
    """[start, end); ``months`` counts each month by the share of its days inside."""


class FindingPublic(ViewModel, view=Finding):
    """A finding of a review that a recommendation addresses, and whether it is resolved."""


class RoadmapItemPublic(ViewModel, view=RoadmapItem, properties=("all_findings_resolved",)):
    """One recommendation on the roadmap."""


class BudgetMonthPublic(ViewModel, view=BudgetMonth, properties=("total",)):
    """One month's one-time and recurring money."""


class RoadmapQuarterPublic(ViewModel, view=RoadmapQuarter, properties=("total",)):
    """One fiscal quarter: its recommendations and its money by month."""


class RoadmapPublic(ViewModel, view=Roadmap):
    """Quarters from the one containing ``today``; items outside them are listed apart."""


class ClientRoadmapPublic(RoadmapPublic):
    """A client's roadmap with the currency its money is in (the QBR pack nests the roadmap
    without it, as the pack carries the currency once)."""

    currency: str


class BudgetLinePublic(ViewModel, view=BudgetLine, properties=("approved_total", "proposed_total")):
    """Approved and proposed money of one month, quarter, client or total."""


class BudgetPublic(ViewModel, view=Budget):
    """Approved (approved, in progress, completed) versus proposed (not yet decided) money,
    in ``currency``: the MSP's currency (ISO 4217) in force now."""

    currency: str


class CalendarMeetingPublic(ViewModel, view=CalendarMeeting):
    """One meeting as it is now (moved, held or cancelled)."""


class ActionItemPublic(ViewModel, view=ActionItem):
    """An action item from a meeting: owner, next step, follow-up date, resolution."""


class ActionItemsPublic(BaseModel):
    """A paging envelope, not a view."""

    data: list[ActionItemPublic]
    count: int


class MeetingCalendarPublic(ViewModel, view=MeetingCalendar,
                            properties=("planned", "held", "rescheduled", "cancelled",
                                        "overdue_action_items")):
    """Meetings of a period with their counts, and the open and overdue action items."""


class MonthTouchesPublic(ViewModel, view=MonthTouches, properties=("shortfall",)):
    """One month's unique touches against the cadence's target."""


class ClientCadencePublic(ViewModel, view=ClientCadence,
                          properties=("touches", "other_touches", "target", "shortfall", "behind")):
    """One client's touches month by month against its cadence."""


class TouchCadencesPublic(BaseModel):
    """Clients behind cadence first, the largest shortfall first. A paging envelope."""

    data: list[ClientCadencePublic]
    count: int


class OverdueAreaPublic(ViewModel, view=OverdueArea):
    """A review area of a client that is overdue."""


class OverdueAreasPublic(BaseModel):
    """Overdue areas by client name, client and category. A paging envelope, not a view:
    ``next`` (when the page is full) is the ``after`` of the next page."""

    data: list[OverdueAreaPublic]
    count: int
    next: str | None = None


class BandPublic(ViewModel, view=Band):
    """A target band, both ends inclusive."""


class TargetsPublic(ViewModel, view=Targets):
    """The MSP's target bands (its own settings, or the product's defaults)."""


class CountsPublic(ViewModel, view=Counts):
    """One vCIO's (or the MSP's) countable figures."""


class VcioMetricsPublic(ViewModel, view=VcioMetrics,
                        properties=("average_mrr", "touch_target", "mrr_over_period", "nrr_share",
                                    "nrr_band", "touches_per_month", "meetings_held_per_month",
                                    "touches_per_month_band", "meetings_per_month_band")):
    """One vCIO's figures (``vcio`` null: the whole MSP); ``nrr_band`` is below, in or above
    ``nrr_target``, the MSP's band (25-30% by default); ``touches_per_month_band`` and
    ``meetings_per_month_band`` place the touches and meetings held a month over the period
    against the MSP's workload bands per vCIO (null for the whole MSP). The overdue review areas
    are counted here and listed by ``GET /vcio-dashboard/overdue-areas``."""


class DashboardPublic(ViewModel, view=Dashboard):
    """The MSP's figures and each vCIO's, over a period."""


class QbrPackPublic(ViewModel, view=QbrPack):
    """Everything a technology business review needs about one client; its money (the roadmap's
    budgets) in ``currency``, the MSP's currency in force now."""

    currency: str
