"""The ``as_of`` read model's queries: a client's alignment and the library at any past instant.

Reads what :mod:`projections.as_of` keeps (the library's and the answers' histories by log
position, the reviews' stages), on either clock: recorded (what a screen showed at T) or
observed (today's best knowledge of how things stood at T); see that module for the two.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from projections.as_of import AsOfProjection
from projections.catalog import ProjectionReader
from projections.client_alignment import CategoryScore, category_score, item_status
from projections.scoring import DEFAULT_POLICIES, PolicySource, ScoredItem, score, score_by_category


class Basis(Enum):
    RECORDED = "recorded"
    OBSERVED = "observed"


@dataclass(frozen=True)
class StandardAsOf:
    """A standard as it stood at an instant: the revision in force and its whole text."""

    standard_id: UUID
    key: str
    status: str
    revision: int
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: tuple[str, ...]
    successors: tuple[UUID, ...]
    last_change: str
    last_changed_at: datetime
    last_changed_by: str
    last_reason: str


@dataclass(frozen=True)
class AsOfItem:
    """One standard of a client's review as of an instant.

    ``question`` is the wording the answer was given against (the wording in force when
    unanswered); ``question_in_force`` the wording at the instant. ``previous_from_key`` is set
    when the previous answer was given to a predecessor the standard replaced.
    """

    standard_id: UUID
    key: str
    category: str
    priority: str
    expected_answer: str
    status: str
    answer: str | None
    rating: str | None
    note: str | None
    observed_at: datetime | None
    recorded_at: datetime | None
    answered_by: str | None
    answered_revision: int | None
    question: str
    revision_in_force: int
    question_in_force: str
    meaning_changed_since_answer: bool
    standard_status: str
    previous_answer: str | None
    previous_revision: int | None
    previous_question: str | None
    previous_from_standard_id: UUID | None
    previous_from_key: str | None

    @property
    def scored(self) -> ScoredItem:
        return ScoredItem(self.category, self.priority, self.expected_answer, self.answer, self.rating)


@dataclass(frozen=True)
class AsOfAlignment:
    client_id: UUID
    client_name: str
    as_of: datetime
    basis: Basis
    review_id: UUID | None
    review_number: int | None
    review_status: str | None
    previous_review_id: UUID | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned_count: int
    not_applicable: int
    unanswered: int
    categories: list[CategoryScore]
    items: list[AsOfItem]


@dataclass(frozen=True)
class StandardDue:
    """A standard the committee has not decided on (revised or reviewed) for too long."""

    standard_id: UUID
    key: str
    category: str
    last_decided_at: datetime


STANDARD_FIELDS = ("standard_id, key, status, revision, category, question, expected_answer,"
                   " how_to_check, why_it_matters, priority, review_frequency,"
                   " authority_references, successors, kind, recorded_at, decided_by, reason")

LIBRARY_AT_SQL = ("SELECT DISTINCT ON (standard_id) " + STANDARD_FIELDS + " FROM standard_history"
                  " WHERE tenant = %s AND recorded_at <= %s ORDER BY standard_id, position DESC")

STANDARD_AT_SQL = ("SELECT " + STANDARD_FIELDS + " FROM standard_history WHERE tenant = %s"
                   " AND standard_id = %s AND recorded_at <= %s ORDER BY position DESC LIMIT 1")

# Per review started by then: id, number, scope, finalised by then, and its stage then (the
# stages of the live views: answering, submitted, finalised). On the observed clock the
# submission and finalisation are dated by the times they carry.
REVIEW_AT_SQL = {
    Basis.RECORDED: "SELECT r.review_id, r.seq, r.categories, (t.completed_recorded_at <= %(at)s),"
                    " CASE WHEN t.completed_recorded_at <= %(at)s THEN 'finalised'"
                    " WHEN t.submitted_recorded_at <= %(at)s THEN 'submitted' ELSE 'answering' END"
                    " FROM reviews r JOIN review_recorded t USING (review_id)"
                    " WHERE r.client_id = %(client)s AND t.started_recorded_at <= %(at)s"
                    " ORDER BY r.seq DESC",
    Basis.OBSERVED: "SELECT r.review_id, r.seq, r.categories, (r.completed_at <= %(at)s),"
                    " CASE WHEN r.completed_at <= %(at)s THEN 'finalised'"
                    " WHEN r.submitted_at <= %(at)s THEN 'submitted' ELSE 'answering' END"
                    " FROM reviews r WHERE r.client_id = %(client)s AND r.started_at <= %(at)s"
                    " ORDER BY r.seq DESC",
}

ANSWERS_AT_SQL = {
    basis: SQL("SELECT DISTINCT ON (review_id, standard_id) standard_id, answer, rating, note,"
               " observed_at, recorded_at, answered_by, standard_revision, expected_answer,"
               " review_id FROM answer_history WHERE review_id = ANY(%s) AND {} <= %s"
               " ORDER BY review_id, standard_id, position DESC"
               ).format(Identifier(f"{basis.value}_at"))
    for basis in Basis
}

REVISIONS_SQL = ("SELECT standard_id, revision, question, priority, meaning_changed"
                 " FROM standard_history WHERE standard_id = ANY(%s) AND kind IN ('drafted', 'revised')")


def standard_as_of(row: tuple[Any, ...]) -> StandardAsOf:
    return StandardAsOf(
        standard_id=row[0], key=row[1], status=row[2], revision=row[3], category=row[4],
        question=row[5], expected_answer=row[6], how_to_check=row[7], why_it_matters=row[8],
        priority=row[9], review_frequency=row[10], authority_references=tuple(row[11]),
        successors=tuple(row[12]), last_change=row[13], last_changed_at=row[14],
        last_changed_by=row[15], last_reason=row[16])


def one_year_before(at: datetime) -> datetime:
    try:
        return at.replace(year=at.year - 1)
    except ValueError:  # 29 February
        return at.replace(year=at.year - 1, day=28)


class AsOfView:
    """Typed "as of" queries; other tenants' clients and standards are simply not found."""

    def __init__(self, reader: ProjectionReader, policies: PolicySource = DEFAULT_POLICIES) -> None:
        self.reader = reader
        self.policies = policies

    def standard(self, tenant: str, standard_id: UUID, at: datetime) -> StandardAsOf | None:
        """The standard's text and status as recorded at ``at`` (None if it did not exist yet)."""
        with self.reader.cursor(AsOfProjection.name) as cur:
            cur.execute(STANDARD_AT_SQL, (tenant, standard_id, at))
            row = cur.fetchone()
        return standard_as_of(row) if row else None

    def library(self, tenant: str, at: datetime) -> list[StandardAsOf]:
        """Every standard as recorded at ``at``, by category and key."""
        with self.reader.cursor(AsOfProjection.name) as cur:
            cur.execute(LIBRARY_AT_SQL, (tenant, at))
            found = [standard_as_of(r) for r in cur.fetchall()]
        return sorted(found, key=lambda s: (s.category, s.key))

    def standards_due_for_review(self, tenant: str, now: datetime) -> list[StandardDue]:
        """Standards in force whose last committee decision is more than 12 months old."""
        with self.reader.cursor(AsOfProjection.name) as cur:
            cur.execute(
                "SELECT h.standard_id, s.key, s.category, max(h.decided_at) FROM standard_history h"
                " JOIN standards s USING (standard_id) WHERE s.tenant = %s AND s.status = 'published'"
                " AND h.kind <> 'retired' GROUP BY h.standard_id, s.key, s.category"
                " HAVING max(h.decided_at) < %s ORDER BY s.category, s.key",
                (tenant, one_year_before(now)))
            return [StandardDue(*row) for row in cur.fetchall()]

    def alignment(self, tenant: str, client_id: UUID, at: datetime,
                  basis: Basis = Basis.RECORDED) -> AsOfAlignment | None:
        """The client's alignment as it stood at ``at`` on the chosen clock."""
        with self.reader.cursor(AsOfProjection.name) as cur:
            cur.execute("SELECT name FROM clients WHERE tenant = %s AND client_id = %s",
                        (tenant, client_id))
            client = cur.fetchone()
            if client is None:
                return None
            cur.execute(REVIEW_AT_SQL[basis], {"client": client_id, "at": at})
            reviews = cur.fetchall()
            current = reviews[0] if reviews else None
            earlier = [r[0] for r in reviews[1:] if r[3]]  # completed by then, newest first
            cur.execute(LIBRARY_AT_SQL, (tenant, at))
            library = {row[0]: standard_as_of(row) for row in cur.fetchall()}
            found = self._answers(cur, ([current[0]] if current else []) + earlier, at, basis)
            answers = found.get(current[0], {}) if current else {}
            before = [found.get(review_id, {}) for review_id in earlier]
            ids = list(library)
            cur.execute(REVISIONS_SQL, (ids,))
            revisions = {(r[0], r[1]): r[2:] for r in cur.fetchall()}
        predecessors = self._predecessors(library)
        categories = list(current[2]) if current else []
        items = []
        for standard in library.values():
            answer = answers.get(standard.standard_id)
            in_scope = standard.status == "published" and (
                not categories or standard.category in categories)
            if answer is None and not in_scope:
                continue
            items.append(self._item(standard, answer, before, predecessors, library, revisions))
        items.sort(key=lambda i: (i.category, i.key))
        policy = self.policies.scoring_policy(tenant, at)  # the policy in force then
        overall = score([i.scored for i in items], policy)
        by_category = score_by_category([i.scored for i in items], policy)
        return AsOfAlignment(
            client_id=client_id, client_name=client[0], as_of=at, basis=basis,
            review_id=current[0] if current else None, review_number=current[1] if current else None,
            review_status=None if current is None else current[4],
            previous_review_id=earlier[0] if earlier else None, score=overall.score,
            coverage=overall.coverage, answered=overall.answered, aligned=overall.aligned,
            misaligned_count=overall.misaligned, not_applicable=overall.not_applicable,
            unanswered=overall.unanswered,
            categories=[category_score(c, s) for c, s in by_category.items()], items=items)

    @staticmethod
    def _answers(cur: Cursor[Any], review_ids: list[UUID], at: datetime,
                 basis: Basis) -> dict[UUID, dict[UUID, tuple[Any, ...]]]:
        """Per review, per standard: the answer row in force at ``at`` on the chosen clock."""
        found: dict[UUID, dict[UUID, tuple[Any, ...]]] = {}
        if review_ids:
            cur.execute(ANSWERS_AT_SQL[basis], (review_ids, at))
            for row in cur.fetchall():
                found.setdefault(row[9], {})[row[0]] = row
        return found

    @staticmethod
    def _predecessors(library: dict[UUID, StandardAsOf]) -> dict[UUID, list[UUID]]:
        found: dict[UUID, list[UUID]] = {}
        for standard in library.values():
            if standard.status == "retired":
                for successor in standard.successors:
                    found.setdefault(successor, []).append(standard.standard_id)
        return found

    def _item(self, standard: StandardAsOf, answer: tuple[Any, ...] | None,
              before: list[dict[UUID, tuple[Any, ...]]], predecessors: dict[UUID, list[UUID]],
              library: dict[UUID, StandardAsOf], revisions: dict[tuple[UUID, int], Any]) -> AsOfItem:
        sid = standard.standard_id
        answered_revision: int | None = answer[7] if answer else None
        words = revisions.get((sid, answered_revision)) if answered_revision else None
        expected = answer[8] if answer else standard.expected_answer
        changed = bool(answer) and any(
            revisions.get((sid, n), (None, None, False))[2]
            for n in range((answered_revision or 0) + 1, standard.revision + 1))
        previous, source = previous_answer(sid, before, lineage(sid, predecessors))
        previous_words = revisions.get((source or sid, previous[7])) if previous else None
        return AsOfItem(
            standard_id=sid, key=standard.key, category=standard.category,
            priority=words[1] if words else standard.priority, expected_answer=expected,
            status=item_status(answer[1] if answer else None, expected),
            answer=answer[1] if answer else None, rating=answer[2] if answer else None,
            note=answer[3] if answer else None, observed_at=answer[4] if answer else None,
            recorded_at=answer[5] if answer else None, answered_by=answer[6] if answer else None,
            answered_revision=answered_revision,
            question=words[0] if words else standard.question,
            revision_in_force=standard.revision, question_in_force=standard.question,
            meaning_changed_since_answer=changed, standard_status=standard.status,
            previous_answer=previous[1] if previous else None,
            previous_revision=previous[7] if previous else None,
            previous_question=previous_words[0] if previous_words else None,
            previous_from_standard_id=source,
            previous_from_key=library[source].key if source else None)


def lineage(standard_id: UUID, predecessors: dict[UUID, list[UUID]]) -> list[UUID]:
    """The standard, then the standards it replaced, then theirs, nearest first."""
    found, pending = [standard_id], list(predecessors.get(standard_id, []))
    while pending:
        candidate = pending.pop(0)
        if candidate not in found:
            found.append(candidate)
            pending.extend(predecessors.get(candidate, []))
    return found


def previous_answer(standard_id: UUID, before: list[dict[UUID, tuple[Any, ...]]],
                    line: list[UUID]) -> tuple[tuple[Any, ...] | None, UUID | None]:
    """The newest earlier answer to the standard or to a predecessor, and which predecessor
    (None when the standard itself was answered)."""
    for answers in before:
        for candidate in line:
            if candidate in answers:
                return answers[candidate], (None if candidate == standard_id else candidate)
    return None, None
