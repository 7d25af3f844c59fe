"""What the client overview shows, gathered from the read models' views.

Now: the rolling scorecard (the latest finalised answer to each standard in force, whichever
review gave it, so a partial or empty review never blanks it): its score, coverage and fresh
coverage, the score by category and the most important misaligned items; the trend (the score
after each finalised review), the roadmap by quarter
with its budget, and meetings and touches against the client's cadence.

As of a past date: the scores recorded by the reviews completed by then (overall and per
category), the answers as they stood on that day when the application runs the "as of" read
model (see ``web.time_travel``), and the audit trail up to that day. The roadmap and the cadence
are shown for the present only, and the page says so.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from commands.results import Actor
from projections.audit_entries import TimelineEntry
from projections.client_alignment import ClientAlignment
from projections.fiscal import Period, add_months, month_start
from projections.meeting_calendar import MeetingCalendar
from projections.roadmap import Roadmap
from projections.score_history import ScorePoint
from projections.scorecard import Scorecard, ScorecardItem
from projections.touch_cadence import ClientCadence
from web.errors import PageNotFound
from web.ports import WebServices
from web.time_travel import AnswersThen, answers_then

TOP_MISALIGNED = 10
CADENCE_MONTHS = 3


@dataclass(frozen=True)
class CategoryBar:
    category: str
    score: Decimal | None
    coverage: Decimal | None
    misaligned: int


@dataclass(frozen=True)
class Overview:
    alignment: ClientAlignment
    today: date
    as_of: date | None
    score: Decimal | None
    coverage: Decimal | None
    score_source: str
    trend: list[ScorePoint]
    categories: list[CategoryBar]
    top_misaligned: list[ScorecardItem]
    roadmap: Roadmap | None
    budget_top: Decimal
    cadence: ClientCadence | None
    meetings: MeetingCalendar | None
    history_until_then: list[TimelineEntry]
    answers_then: AnswersThen | None = None
    basis: str = "observed"
    card: Scorecard | None = None

    @property
    def trend_chart(self) -> dict[str, list[str | float | None]]:
        return {"labels": [f"#{p.review_number} {p.completed_at.date().isoformat()}" for p in self.trend],
                "scores": [None if p.rolling_score is None else float(p.rolling_score)
                           for p in self.trend]}


def load_alignment(services: WebServices, actor: Actor, client_id: UUID) -> ClientAlignment:
    """The client's alignment, or the 404 page when the tenant has no such client."""
    found = services.alignment.alignment(actor.tenant, client_id)
    if found is None:
        raise PageNotFound("client")
    return found


def current_source(card: Scorecard) -> str:
    if card.answered + card.not_applicable == 0:
        return "No finalised answer yet"
    reviews = len({i.review_id for i in card.items if i.review_id is not None})
    return (f"Latest finalised answers to {len(card.items)} standards in force, from {reviews}"
            f" review{'s' if reviews != 1 else ''}; {card.stale} stale")


def build_overview(services: WebServices, actor: Actor, client_id: UUID, today: date,
                   as_of: date | None = None, basis: str = "observed") -> Overview:
    alignment = load_alignment(services, actor, client_id)
    trend = services.history.history(actor.tenant, client_id)
    if as_of is not None and as_of < today:
        return past_overview(services, actor, alignment, trend, today, as_of, basis)
    card = services.scorecard.scorecard(actor.tenant, client_id, today)
    if card is None:
        raise PageNotFound("client")
    roadmap = services.roadmap.roadmap(actor.tenant, client_id, today)
    quarters = roadmap.quarters if roadmap else []
    first_month = add_months(month_start(today), 1 - CADENCE_MONTHS)
    return Overview(
        alignment=alignment, today=today, as_of=None, score=card.score,
        coverage=card.coverage, score_source=current_source(card), trend=trend,
        categories=[CategoryBar(c.category, c.score, c.coverage, c.misaligned)
                    for c in card.categories],
        top_misaligned=card.misaligned[:TOP_MISALIGNED], roadmap=roadmap, card=card,
        budget_top=max((q.total for q in quarters), default=Decimal(0)),
        cadence=services.touch_cadence.client_cadence(actor.tenant, client_id, first_month,
                                                      CADENCE_MONTHS),
        meetings=services.meeting_calendar.calendar(
            actor.tenant, Period(today - timedelta(days=90), today + timedelta(days=366)), today,
            client_id=client_id),
        history_until_then=[])


def past_overview(services: WebServices, actor: Actor, alignment: ClientAlignment,
                  trend: list[ScorePoint], today: date, as_of: date, basis: str) -> Overview:
    end_of_day = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    then = [p for p in trend if p.completed_at < end_of_day]
    categories = []
    for current in alignment.categories:
        points = [p for p in services.history.history(actor.tenant, alignment.client_id,
                                                      current.category)
                  if p.completed_at < end_of_day]
        if points:
            last = points[-1]
            categories.append(CategoryBar(current.category, last.rolling_score,
                                          last.rolling_coverage, last.misaligned))
    last_point = then[-1] if then else None
    source = (f"Review #{last_point.review_number}, completed {last_point.completed_at:%Y-%m-%d}"
              if last_point else "No review had been completed by then")
    return Overview(
        alignment=alignment, today=today, as_of=as_of,
        score=last_point.rolling_score if last_point else None,
        coverage=last_point.rolling_coverage if last_point else None, score_source=source, trend=then,
        categories=categories, top_misaligned=[], roadmap=None, budget_top=Decimal(0),
        cadence=None, meetings=None,
        history_until_then=services.audit.timeline(actor.tenant, alignment.client_id,
                                                   until=end_of_day, limit=15),
        answers_then=answers_then(services, actor, alignment.client_id, end_of_day, basis),
        basis=basis)
