"""Everything a technology business review needs about one client, in one answer.

The pack has no tables of its own: it composes the rolling scorecard, score history, roadmap,
meeting calendar and touch cadence views. It covers the client's current alignment (the rolling
scorecard: the latest finalised answer per standard in force, so a partial or empty review never
blanks it) and its trend, the most important misaligned items, the roadmap for the next 4
quarters with budgets (declined recommendations left out), the action items still open from the
last meeting held, and the touches and meetings held since then (or over the last 3 months when
there was none).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from projections.fiscal import Period, add_months, month_start
from projections.meeting_calendar import ActionItem, CalendarMeeting, MeetingCalendarView
from projections.roadmap import Roadmap, RoadmapView
from projections.score_history import ScoreHistoryView, ScorePoint
from projections.scorecard import ScorecardItem, ScorecardView
from projections.strategy_tables import ALL_STATUSES
from projections.touch_cadence import ClientCadence, TouchCadenceView

ROADMAP_STATUSES = tuple(s for s in ALL_STATUSES if s != "declined")
MAX_CADENCE_MONTHS = 36


@dataclass(frozen=True)
class QbrPack:
    client_id: UUID
    client_name: str
    today: date
    meeting: CalendarMeeting | None
    score: Decimal | None
    coverage: Decimal | None
    fresh_coverage: Decimal | None
    score_trend: list[ScorePoint]
    top_misaligned: list[ScorecardItem]
    roadmap: Roadmap
    last_meeting: CalendarMeeting | None
    open_action_items: list[ActionItem]
    period: Period
    touches: ClientCadence | None
    meetings_held: list[CalendarMeeting]


def months_spanned(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


class QbrPackView:
    """Builds the QBR pack from the read models' own views."""

    def __init__(self, scorecard: ScorecardView, history: ScoreHistoryView,
                 roadmap: RoadmapView, calendar: MeetingCalendarView,
                 cadence: TouchCadenceView) -> None:
        self.scorecard = scorecard
        self.history = history
        self.roadmap = roadmap
        self.calendar = calendar
        self.cadence = cadence

    def pack(self, tenant: str, client_id: UUID, today: date, meeting_id: UUID | None = None,
             misaligned_limit: int = 10) -> QbrPack | None:
        """The pack for the meeting ``meeting_id`` (or for a review held ``today``); None
        when the client, or the meeting for this client, is unknown."""
        meeting = None
        if meeting_id is not None:
            meeting = self.calendar.meeting(tenant, meeting_id)
            if meeting is None or meeting.client_id != client_id:
                return None
        roadmap = self.roadmap.roadmap(tenant, client_id, today, 4, ROADMAP_STATUSES)
        if roadmap is None:
            return None
        end_of_today = datetime.combine(today + timedelta(days=1), time(), UTC)
        before = meeting.when if meeting else end_of_today
        last = self.calendar.last_held_meeting(tenant, client_id, before)
        since = last.when.astimezone(UTC).date() if last else add_months(month_start(today), -3)
        period = Period(min(since, today), today + timedelta(days=1))
        open_items = [] if last is None else self.calendar.action_items(
            tenant, today, client_id=client_id, meeting_id=last.meeting_id)
        held = [m for m in self.calendar.calendar(tenant, period, today, client_id=client_id).meetings
                if m.status == "held"]
        months = min(months_spanned(period.start, today), MAX_CADENCE_MONTHS)
        touches = self.cadence.client_cadence(tenant, client_id,
                                              add_months(month_start(today), 1 - months), months)
        card = self.scorecard.scorecard(tenant, client_id, today)
        return QbrPack(
            client_id=client_id, client_name=roadmap.client_name, today=today, meeting=meeting,
            score=card.score if card else None, coverage=card.coverage if card else None,
            fresh_coverage=card.fresh_coverage if card else None,
            score_trend=self.history.history(tenant, client_id),
            top_misaligned=card.misaligned[:misaligned_limit] if card else [],
            roadmap=roadmap, last_meeting=last, open_action_items=open_items, period=period,
            touches=touches, meetings_held=held)
