"""Read model: the working view of a client's latest review, item by item.

Per standard: the current answer (from the client's latest review, in whatever stage), the
previous answer, note and rating (from the last finalised review before it that answered that
standard), the rating, the vCIO's comment when the item was sent back to the TAM, and the
revision the answer was given against; the latest answer an outside tool
suggested (with its source), shown beside the answers and never counted as one; the score overall
and per category; coverage; misaligned items by priority. The review's stage is ``answering``
(the TAM's), ``submitted`` (the vCIO's) or ``finalised``.

This is the review pages' view. Where the client stands now, across reviews, is the rolling
scorecard (``projections.scorecard``), read from these same tables.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from projections.answer_tables import FULL, AnswersIndexedAfterLoad
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.library_tables import STANDARD_TOPICS, apply_library_event, create_library_tables
from projections.review_batch import KeepsReviewTables
from projections.review_stages import UNDER_WAY_SQL, ReviewUnderWay, review_stage
from projections.review_tables import REVIEW_TOPICS, apply_review_event, create_review_tables
from projections.rows import fetch_row
from projections.scoring import DEFAULT_POLICIES, PolicySource, Score, ScoredItem, score, score_by_category
from projections.standards_library import natural_key

PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}
#: How many reviews are under way (the total of :data:`UNDER_WAY_SQL`'s pages), and the index
#: that lists them in its order.
UNDER_WAY_COUNT_SQL = ("SELECT count(*) FROM reviews r JOIN clients c ON c.client_id = r.client_id"
                       " WHERE r.tenant = %s AND r.completed_at IS NULL")
UNDER_WAY_INDEX = ("CREATE INDEX reviews_under_way_idx ON reviews (tenant, started_at, review_id)"
                   " WHERE completed_at IS NULL")


class ClientAlignmentProjection(AnswersIndexedAfterLoad, KeepsReviewTables, Projection):
    name = "client_alignment"
    # 2: answers suggested by outside tools; 3: review stages, previous note and rating; 4: the
    # reviews under way indexed in the order they are listed a page at a time
    version = 4
    topics = STANDARD_TOPICS + REVIEW_TOPICS + (get_topic(Client.AnswerSuggested),)
    answer_table = FULL

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        create_review_tables(cur)
        cur.execute(UNDER_WAY_INDEX)
        cur.execute("""
            CREATE TABLE suggestions (
                client_id uuid NOT NULL, standard_id uuid NOT NULL, tenant text NOT NULL,
                suggestion_id uuid NOT NULL, answer text NOT NULL, source text NOT NULL,
                evidence text NOT NULL, observed_at timestamptz NOT NULL,
                suggested_by text NOT NULL, position bigint NOT NULL,
                PRIMARY KEY (client_id, standard_id))""")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if type(event) is Client.AnswerRecorded:  # most of the log: an answer row only
            apply_review_event(cur, event, position, self.reviews.buffer)
            return
        if isinstance(event, Client.AnswerSuggested):
            apply_suggestion(cur, event, position)
            return
        if not apply_library_event(cur, event, position):
            apply_review_event(cur, event, position, self.reviews.buffer)


def apply_suggestion(cur: Cursor[Any], event: Any, position: int) -> None:
    """Keep the latest suggestion (in log order) per client and standard; answers are untouched."""
    cur.execute(
        "INSERT INTO suggestions (client_id, standard_id, tenant, suggestion_id, answer, source,"
        " evidence, observed_at, suggested_by, position)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (client_id, standard_id) DO UPDATE SET"
        " suggestion_id = excluded.suggestion_id, answer = excluded.answer,"
        " source = excluded.source, evidence = excluded.evidence,"
        " observed_at = excluded.observed_at, suggested_by = excluded.suggested_by,"
        " position = excluded.position",
        (event.originator_id, event.standard_id, event.tenant, event.suggestion_id,
         event.answer.value, event.source, event.evidence, event.observed_at, event.by, position))


@dataclass(frozen=True)
class AlignmentItem:
    standard_id: UUID
    key: str
    category: str
    question: str
    priority: str
    expected_answer: str
    status: str
    answer: str | None
    rating: str | None
    note: str | None
    observed_at: datetime | None
    answered_by: str | None
    answered_revision: int | None
    current_revision: int
    standard_status: str
    previous_answer: str | None
    previous_revision: int | None
    previous_observed_at: datetime | None
    previous_note: str | None
    previous_rating: str | None
    sent_back: str | None
    library_priority: str
    library_expected_answer: str
    suggested_answer: str | None
    suggestion_source: str | None
    suggested_at: datetime | None

    @property
    def scored(self) -> ScoredItem:
        return ScoredItem(self.category, self.priority, self.expected_answer, self.answer, self.rating)

    @property
    def scored_against_library(self) -> ScoredItem | None:
        """The same answer judged by the standard as the library has it now (None: retired)."""
        if self.standard_status != "published":
            return None
        rating = self.rating if self.answer != self.library_expected_answer else None
        return ScoredItem(self.category, self.library_priority, self.library_expected_answer,
                          self.answer, rating)


@dataclass(frozen=True)
class CategoryScore:
    category: str
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned: int
    not_applicable: int
    unanswered: int


@dataclass(frozen=True)
class ClientAlignment:
    client_id: UUID
    client_name: str
    review_id: UUID | None
    review_number: int | None
    review_status: str | None
    started_at: datetime | None
    submitted_at: datetime | None
    completed_at: datetime | None
    previous_review_id: UUID | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned_count: int
    not_applicable: int
    unanswered: int
    categories: list[CategoryScore]
    items: list[AlignmentItem]
    #: The same answers against the library as it is now: answers to retired standards out,
    #: revised standards at their current priority and aligned answer.
    score_against_library: Decimal | None

    @property
    def misaligned(self) -> list[AlignmentItem]:
        """Misaligned items, most important first; unrated before rated, highly vulnerable
        before marginal."""
        rating_rank = {None: 0, "highly_vulnerable": 1, "marginal": 2}
        found = [i for i in self.items if i.status == "misaligned"]
        return sorted(found, key=lambda i: (PRIORITY_RANK[i.priority], rating_rank[i.rating], i.key))


def category_score(category: str, result: Score) -> CategoryScore:
    return CategoryScore(category, result.score, result.coverage, result.answered, result.aligned,
                         result.misaligned, result.not_applicable, result.unanswered)


ITEMS_SQL = """
WITH cur AS (SELECT review_id, seq, categories FROM reviews WHERE client_id = %(client)s
             ORDER BY seq DESC LIMIT 1)
SELECT s.standard_id, s.key, s.category, coalesce(rv.question, s.question),
       coalesce(rv.priority, s.priority), coalesce(a.expected_answer, s.expected_answer),
       a.answer, a.rating, a.note, a.observed_at, a.answered_by, a.standard_revision, s.revision,
       s.status, p.answer, p.standard_revision, p.observed_at, p.note, p.rating, a.sent_back,
       s.priority, s.expected_answer, sg.answer, sg.source, sg.observed_at
FROM standards s
LEFT JOIN answers a ON a.review_id = (SELECT review_id FROM cur) AND a.standard_id = s.standard_id
LEFT JOIN standard_revisions rv ON rv.standard_id = a.standard_id AND rv.revision = a.standard_revision
LEFT JOIN LATERAL (
    SELECT pa.answer, pa.standard_revision, pa.observed_at, pa.note, pa.rating FROM answers pa
    JOIN reviews pr ON pr.review_id = pa.review_id
    WHERE pa.client_id = %(client)s AND pa.standard_id = s.standard_id
      AND pr.completed_at IS NOT NULL AND pr.seq < (SELECT seq FROM cur)
    ORDER BY pr.seq DESC LIMIT 1) p ON true
LEFT JOIN suggestions sg ON sg.client_id = %(client)s AND sg.standard_id = s.standard_id
WHERE s.tenant = %(tenant)s
  AND (a.answer IS NOT NULL
       OR (s.status = 'published'
           AND (cardinality(coalesce((SELECT categories FROM cur), '{}'::text[])) = 0
                OR s.category = ANY(coalesce((SELECT categories FROM cur), '{}'::text[])))))
ORDER BY s.category, s.key
"""


def item_status(answer: str | None, expected: str) -> str:
    if answer is None:
        return "unanswered"
    if answer == "not_applicable":
        return "not_applicable"
    return "aligned" if answer == expected else "misaligned"


@dataclass(frozen=True)
class UnderWayPage:
    """A page of the reviews under way, and how many there are over all pages (None when the
    page is filtered by whose turn it is: counting those would count every review's answers)."""

    reviews: list[ReviewUnderWay]
    total: int | None


class ClientAlignmentView:
    """Typed queries over the client alignment read model."""

    def __init__(self, reader: ProjectionReader, policies: PolicySource = DEFAULT_POLICIES) -> None:
        self.reader = reader
        self.policies = policies

    def alignment(self, tenant: str, client_id: UUID) -> ClientAlignment | None:
        with self.reader.cursor(ClientAlignmentProjection.name) as cur:
            cur.execute("SELECT name FROM clients WHERE tenant = %s AND client_id = %s",
                        (tenant, client_id))
            client = cur.fetchone()
            if client is None:
                return None
            cur.execute(
                "SELECT r.review_id, r.seq, r.started_at, r.completed_at, r.submitted_at,"
                " (SELECT p.review_id FROM reviews p WHERE p.client_id = r.client_id"
                "  AND p.completed_at IS NOT NULL AND p.seq < r.seq ORDER BY p.seq DESC LIMIT 1)"
                " FROM reviews r WHERE r.client_id = %s ORDER BY r.seq DESC LIMIT 1", (client_id,))
            review = cur.fetchone()
            cur.execute(ITEMS_SQL, {"client": client_id, "tenant": tenant})
            items = [AlignmentItem(
                standard_id=r[0], key=r[1], category=r[2], question=r[3], priority=r[4],
                expected_answer=r[5], status=item_status(r[6], r[5]), answer=r[6], rating=r[7],
                note=r[8], observed_at=r[9], answered_by=r[10], answered_revision=r[11],
                current_revision=r[12], standard_status=r[13], previous_answer=r[14],
                previous_revision=r[15], previous_observed_at=r[16], previous_note=r[17],
                previous_rating=r[18], sent_back=r[19], library_priority=r[20],
                library_expected_answer=r[21], suggested_answer=r[22],
                suggestion_source=r[23], suggested_at=r[24]) for r in cur.fetchall()]
            items.sort(key=lambda i: (i.category, natural_key(i.key)))
        policy = self.policies.scoring_policy(tenant, datetime.now(UTC))  # today's, as answered
        overall = score([i.scored for i in items], policy)
        by_category = score_by_category([i.scored for i in items], policy)
        return ClientAlignment(
            client_id=client_id, client_name=client[0],
            review_id=review[0] if review else None, review_number=review[1] if review else None,
            review_status=None if review is None else review_stage(review[4], review[3]),
            started_at=review[2] if review else None, submitted_at=review[4] if review else None,
            completed_at=review[3] if review else None,
            previous_review_id=review[5] if review else None,
            score=overall.score, coverage=overall.coverage, answered=overall.answered,
            aligned=overall.aligned, misaligned_count=overall.misaligned,
            not_applicable=overall.not_applicable, unanswered=overall.unanswered,
            categories=[category_score(c, s) for c, s in by_category.items()], items=items,
            score_against_library=score(
                [i for i in (i.scored_against_library for i in items) if i is not None],
                policy).score,
        )

    def reviews_under_way(self, tenant: str) -> list[ReviewUnderWay]:
        """Every review not finalised yet, with what it waits for, oldest first."""
        return self.under_way_page(tenant, limit=None).reviews

    def under_way_page(self, tenant: str, waiting_for: str | None = None,
                       after: tuple[datetime, UUID] | None = None,
                       limit: int | None = None) -> UnderWayPage:
        """The reviews under way oldest first (by start, then id) from the one after ``after``
        (a start and a review id), ``limit`` of them (None: all), only those waiting for
        ``waiting_for`` when given; with how many are under way in all when not filtered."""
        started_at, review_id = after if after is not None else (None, None)
        params = {"tenant": tenant, "waiting": waiting_for, "started_at": started_at,
                  "review_id": review_id, "limit": limit}
        with self.reader.cursor(ClientAlignmentProjection.name) as cur:
            cur.execute(UNDER_WAY_SQL, params)
            reviews = [ReviewUnderWay(
                client_id=r[0], client_name=r[1], vcio=r[2], tam=r[3], review_id=r[4],
                review_number=r[5], stage=review_stage(r[7], None), started_at=r[6],
                submitted_at=r[7], answered=r[8], sent_back=r[9], unrated=r[10])
                for r in cur.fetchall()]
            total = None
            if waiting_for is None and after is None and limit is None:
                total = len(reviews)  # the whole list: nothing more to count
            elif waiting_for is None:
                cur.execute(UNDER_WAY_COUNT_SQL, (tenant,))
                total = int(fetch_row(cur, "count")[0])
        return UnderWayPage(reviews, total)
