"""The rolling scorecard: where a client stands now, standard by standard, across reviews.

The client's current alignment is the latest answer to each standard in force (published), from
whichever finalised review gave it, with its age. A partial review therefore updates only what it
answered, and an empty one changes nothing: no review ever blanks the scorecard. The score, the
score by category and the misaligned list are read from these answers, with the brief's formula
(the answer is scored against the revision it was given to).

Each standard is due by its own review frequency, counted from its last answer (never answered:
due now); a category, and the client, is due when any standard in it is. An answer past its due
date is stale; ``fresh_coverage`` counts only answers that are not.

It reads the ``client_alignment`` read model's tables (standards, reviews, answers), so it needs
no read model of its own.
"""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from events.vocabulary import ReviewFrequency
from projections.catalog import ProjectionReader
from projections.client_alignment import (
    PRIORITY_RANK,
    CategoryScore,
    ClientAlignmentProjection,
    category_score,
    item_status,
)
from projections.review_tables import latest_answers_sql
from projections.scoring import (
    DEFAULT_POLICIES,
    HUNDREDTH,
    PolicySource,
    ScoredItem,
    score,
    score_by_category,
)
from projections.standards_library import natural_key

SCORECARD_SQL = latest_answers_sql(
    "s.standard_id, s.key, s.category, coalesce(rv.question, s.question),"
    " coalesce(rv.priority, s.priority), coalesce(latest.expected_answer, s.expected_answer),"
    " s.review_frequency, latest.answer, latest.rating, latest.note, latest.observed_at,"
    " latest.review_id, latest.seq, latest.completed_at",
    "a.answer, a.rating, a.note, a.observed_at, a.standard_revision, a.expected_answer,"
    " r.review_id, r.seq, r.completed_at",
    "ORDER BY s.category, s.key\n")


@dataclass(frozen=True)
class ScorecardItem:
    """One standard in force and its latest finalised answer (None: never answered)."""

    standard_id: UUID
    key: str
    category: str
    question: str
    priority: str
    expected_answer: str
    review_frequency: str
    answer: str | None
    rating: str | None
    note: str | None
    observed_at: datetime | None
    review_id: UUID | None
    review_number: int | None
    finalised_at: datetime | None
    due_on: date | None
    age_days: int | None
    is_due: bool

    @property
    def status(self) -> str:
        return item_status(self.answer, self.expected_answer)

    @property
    def scored(self) -> ScoredItem:
        return ScoredItem(self.category, self.priority, self.expected_answer, self.answer, self.rating)


@dataclass(frozen=True)
class Scorecard:
    client_id: UUID
    today: date
    score: Decimal | None
    coverage: Decimal | None
    fresh_coverage: Decimal | None
    answered: int
    aligned: int
    misaligned_count: int
    not_applicable: int
    unanswered: int
    stale: int
    categories: list[CategoryScore]
    items: list[ScorecardItem]

    @property
    def misaligned(self) -> list[ScorecardItem]:
        """Misaligned answers, most important first; highly vulnerable before marginal."""
        rating_rank = {None: 0, "highly_vulnerable": 1, "marginal": 2}
        found = [i for i in self.items if i.status == "misaligned"]
        return sorted(found, key=lambda i: (PRIORITY_RANK[i.priority], rating_rank[i.rating], i.key))

    @property
    def due_categories(self) -> list[str]:
        """Categories with at least one standard due (so the client is due when any is)."""
        return sorted({i.category for i in self.items if i.is_due})


def months_after(day: date, months: int) -> date:
    """The same day of the month ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def scorecard_item(row: tuple[Any, ...], today: date) -> ScorecardItem:
    (standard_id, key, category, question, priority, expected, frequency, answer, rating, note,
     observed_at, review_id, seq, finalised_at) = row
    due_on = age = None
    if observed_at is not None:
        due_on = months_after(observed_at.date(), ReviewFrequency(frequency).months)
        age = (today - observed_at.date()).days
    return ScorecardItem(
        standard_id=standard_id, key=key, category=category, question=question,
        priority=priority, expected_answer=expected, review_frequency=frequency,
        answer=answer, rating=rating, note=note, observed_at=observed_at,
        review_id=review_id, review_number=seq, finalised_at=finalised_at,
        due_on=due_on, age_days=age, is_due=due_on is None or due_on <= today)


def fresh_share(items: Iterable[ScorecardItem]) -> tuple[Decimal | None, int]:
    """Fresh coverage (answered applicable and not due / applicable) and the stale count."""
    applicable = [i for i in items if i.answer != "not_applicable"]
    answered = [i for i in applicable if i.answer is not None]
    stale = sum(1 for i in answered if i.is_due)
    if not applicable:
        return None, stale
    fresh = Decimal(100) * (len(answered) - stale) / len(applicable)
    return fresh.quantize(HUNDREDTH, ROUND_HALF_UP), stale


class ScorecardView:
    """The rolling scorecard of one client, read from the client alignment tables."""

    def __init__(self, reader: ProjectionReader, policies: PolicySource = DEFAULT_POLICIES) -> None:
        self.reader = reader
        self.policies = policies

    def scorecard(self, tenant: str, client_id: UUID, today: date) -> Scorecard | None:
        with self.reader.cursor(ClientAlignmentProjection.name) as cur:
            cur.execute("SELECT 1 FROM clients WHERE tenant = %s AND client_id = %s",
                        (tenant, client_id))
            if cur.fetchone() is None:
                return None
            cur.execute(SCORECARD_SQL, {"client": client_id, "tenant": tenant})
            items = sorted((scorecard_item(row, today) for row in cur.fetchall()),
                           key=lambda i: (i.category, natural_key(i.key)))
        # The policy in force by the end of ``today``, so one recorded earlier today counts.
        policy = self.policies.scoring_policy(tenant, datetime.combine(today, time.max, UTC))
        overall = score([i.scored for i in items], policy)
        fresh, stale = fresh_share(items)
        return Scorecard(
            client_id=client_id, today=today, score=overall.score, coverage=overall.coverage,
            fresh_coverage=fresh, answered=overall.answered, aligned=overall.aligned,
            misaligned_count=overall.misaligned, not_applicable=overall.not_applicable,
            unanswered=overall.unanswered, stale=stale,
            categories=[category_score(c, s) for c, s in
                        score_by_category([i.scored for i in items], policy).items()],
            items=items)
