"""Read model: how has a client's alignment score moved, review after review?

One point per finalised review (overall and per category), computed with the brief's formula
at the moment the review was finalised and never recomputed afterwards, so a trend chart shows
what each report showed at the time. Each point carries two scores: ``rolling_score`` (and its
coverage), the client's scorecard right after the review (the latest finalised answer to each
standard then in force, whichever review gave it: what the trend shows), and ``score``, the
review's own answers alone (with the counts). A category the review did not cover still gets a
point (its own figures empty), so every category's trend has one point per review.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor

from aggregates.client import Client
from projections.answer_tables import SCORED
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.library_tables import STANDARD_TOPICS, apply_library_event, create_library_tables
from projections.review_batch import KeepsReviewTables
from projections.review_tables import (
    REVIEW_TOPICS,
    apply_review_event,
    create_review_tables,
)
from projections.rows import fetch_row
from projections.score_items import scored_items
from projections.scoring import (
    DEFAULT_POLICY,
    Score,
    ScoringPolicy,
    score_rows,
    score_rows_by_category,
)
from projections.settings_tables import (
    POLICY_TOPICS,
    apply_settings_event,
    create_settings_table,
    in_force,
    policy_from,
)

NOTHING = Score(None, 0, 0, 0, 0, 0)


class ScoreHistoryProjection(KeepsReviewTables, Projection):
    name = "score_history"
    # 2: review stage columns; the rolling score after each review. 3: the MSP's scoring policy.
    # 4: answers keep only what scoring reads (answer_tables.SCORED)
    version = 4
    rebuild_cost = 1.55  # relative rebuild CPU per event (Projection.rebuild_cost)
    topics = STANDARD_TOPICS + REVIEW_TOPICS + POLICY_TOPICS
    review_buffer = staticmethod(SCORED.buffer)

    def __init__(self, policy: ScoringPolicy = DEFAULT_POLICY) -> None:
        self.policy = policy  # for a tenant that never set its own
        super().__init__()

    def policy_at(self, cur: Cursor[Any], tenant: str, at: datetime) -> ScoringPolicy:
        """The MSP's policy in force when the review was finalised (history never rescored)."""
        payload = in_force(cur, tenant, "scoring_policy", at)
        return self.policy if payload is None else policy_from(payload)

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        create_review_tables(cur, SCORED)
        create_settings_table(cur)
        cur.execute("""
            CREATE TABLE scores (
                review_id uuid NOT NULL, category text NOT NULL, client_id uuid NOT NULL,
                tenant text NOT NULL, review_number int NOT NULL, completed_at timestamptz NOT NULL,
                score numeric, coverage numeric, answered int NOT NULL, aligned int NOT NULL,
                misaligned int NOT NULL, not_applicable int NOT NULL, unanswered int NOT NULL,
                rolling_score numeric, rolling_coverage numeric,
                PRIMARY KEY (review_id, category))""")
        cur.execute("CREATE INDEX ON scores (tenant, client_id, completed_at)")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if type(event) is not Client.AnswerRecorded and (  # most of the log: straight through
                apply_library_event(cur, event, position)
                or apply_settings_event(cur, event, position)):
            return
        apply_review_event(cur, event, position, self.reviews.buffer, SCORED)
        if isinstance(event, Client.ReviewCompleted):
            self._record_scores(cur, event)

    def _record_scores(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute("SELECT seq, tenant FROM reviews WHERE review_id = %s", (event.review_id,))
        number, review_tenant = fetch_row(cur, f"review {event.review_id}")
        items, card = scored_items(cur, event.review_id, event.originator_id, event.tenant,
                                   review_tenant)
        policy = self.policy_at(cur, event.tenant, event.completed_at)
        results = {"*": score_rows(items, policy), **score_rows_by_category(items, policy)}
        rolling = {"*": score_rows(card, policy), **score_rows_by_category(card, policy)}
        for category in sorted(results.keys() | rolling.keys()):
            result, after = results.get(category, NOTHING), rolling.get(category, NOTHING)
            cur.execute(
                "INSERT INTO scores (review_id, category, client_id, tenant, review_number,"
                " completed_at, score, coverage, answered, aligned, misaligned, not_applicable,"
                " unanswered, rolling_score, rolling_coverage)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (event.review_id, category, event.originator_id, event.tenant, number,
                 event.completed_at, result.score, result.coverage, result.answered, result.aligned,
                 result.misaligned, result.not_applicable, result.unanswered, after.score,
                 after.coverage))


@dataclass(frozen=True)
class ScorePoint:
    review_id: UUID
    review_number: int
    completed_at: datetime
    category: str | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned: int
    not_applicable: int
    unanswered: int
    rolling_score: Decimal | None
    rolling_coverage: Decimal | None


def _score_point(head: tuple[Any, ...], category: str | None, tail: tuple[Any, ...]) -> ScorePoint:
    """A point from a row split around its category column: (review_id, review_number,
    completed_at) before it, the nine score columns after it."""
    review_id, review_number, completed_at = head
    return ScorePoint(review_id, review_number, completed_at, category, *tail)


class ScoreHistoryView:
    """Typed queries over the score history read model."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def history(self, tenant: str, client_id: UUID, category: str | None = None) -> list[ScorePoint]:
        """Score per finalised review, oldest first (``category`` None means overall)."""
        with self.reader.cursor(ScoreHistoryProjection.name) as cur:
            cur.execute(
                "SELECT review_id, review_number, completed_at, category, score, coverage, answered,"
                " aligned, misaligned, not_applicable, unanswered, rolling_score, rolling_coverage"
                " FROM scores"
                " WHERE tenant = %s AND client_id = %s AND category = %s ORDER BY review_number",
                (tenant, client_id, category or "*"))
            return [_score_point(r[:3], None if r[3] == "*" else r[3], r[4:]) for r in cur.fetchall()]

    def latest_by_client(self, tenant: str,
                         client_ids: list[UUID] | None = None) -> dict[UUID, ScorePoint]:
        """Each client's latest point (its ``rolling_score`` is the client's score now); only
        those of ``client_ids`` when given (a page of clients)."""
        with self.reader.cursor(ScoreHistoryProjection.name) as cur:
            return latest_points(cur, tenant, client_ids)


def latest_points(cur: Cursor[Any], tenant: str,
                  client_ids: list[UUID] | None) -> dict[UUID, ScorePoint]:
    """``latest_by_client`` read on ``cur``, a transaction pointed at this read model."""
    cur.execute(
        "SELECT DISTINCT ON (client_id) client_id, review_id, review_number, completed_at,"
        " category, score, coverage, answered, aligned, misaligned, not_applicable, unanswered,"
        " rolling_score, rolling_coverage FROM scores WHERE tenant = %(tenant)s AND category = '*'"
        " AND (%(ids)s::uuid[] IS NULL OR client_id = ANY(%(ids)s))"  # the ids sent once
        " ORDER BY client_id, review_number DESC", {"tenant": tenant, "ids": client_ids})
    return {r[0]: _score_point(r[1:4], None, r[5:]) for r in cur.fetchall()}
