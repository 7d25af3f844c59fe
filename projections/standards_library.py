"""Read model: what does a tenant's standards library say now, and how did each standard get there?

For each standard: its current wording, lifecycle status (draft, published, retired), current
revision, replacement and retirement reason, and when the committee last changed it; plus the
full revision history, each revision with the fields it changed, the reason, whether the
meaning changed, who decided it, when, and the complete text in force at that revision.

Keys are listed in natural order (``ac-2`` before ``ac-14``, ``FW-002`` before ``FW-010``): each
standard keeps a ``sort_key`` (``natural_key`` of its key) compared byte by byte.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Composable, Composed

from aggregates.standard import Standard
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.library_tables import STANDARD_TOPICS, apply_library_event, create_library_tables

DIGITS = re.compile(r"(\d+)")


def natural_key(key: str) -> str:
    """A text that sorts, byte by byte, as people read keys: each run of digits becomes its
    length (two digits) and its value without leading zeros, so ``ac-2`` < ``ac-14`` and
    ``FW-002`` < ``FW-010``; letters compare without case."""
    parts = DIGITS.split(key.casefold())
    for n in range(1, len(parts), 2):
        number = parts[n].lstrip("0") or "0"
        parts[n] = f"{len(number):02d}{number}"
    return "".join(parts)


class StandardsLibraryProjection(Projection):
    """Keeps the library's current state and revision history (the shared library tables),
    plus each standard's natural sort key."""

    name = "standards_library"
    version = 2  # 2: sort_key, natural order of keys
    topics = STANDARD_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        cur.execute("ALTER TABLE standards ADD COLUMN sort_key text NOT NULL DEFAULT ''")
        cur.execute('CREATE INDEX ON standards (tenant, category, sort_key COLLATE "C")')
        cur.execute("CREATE INDEX ON standards (tenant, key)")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        apply_library_event(cur, event, position)
        if isinstance(event, Standard.StandardDrafted):
            cur.execute("UPDATE standards SET sort_key = %s WHERE standard_id = %s",
                        (natural_key(event.key), event.originator_id))


@dataclass(frozen=True)
class StandardCursor:
    """Where a page of the library listing ends: its last standard's category, key and id."""

    category: str
    key: str
    standard_id: UUID


@dataclass(frozen=True)
class StandardSummary:
    """One line of the library listing."""

    standard_id: UUID
    key: str
    category: str
    question: str
    expected_answer: str
    priority: str
    review_frequency: str
    status: str
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class StandardRevisionRecord:
    """One numbered revision: what changed and why, and the whole text as it then stood.

    Revision 1 is the draft itself: it changes no field and its reason is ``"drafted"``.
    """

    revision: int
    changed_fields: tuple[str, ...]
    reason: str
    meaning_changed: bool
    decided_by: str
    recorded_at: datetime
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: tuple[str, ...]


@dataclass(frozen=True)
class StandardDetail:
    """A standard as it stands now, with every revision oldest first."""

    standard_id: UUID
    key: str
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: tuple[str, ...]
    status: str
    revision: int
    replaced_by: UUID | None
    retired_reason: str | None
    drafted_at: datetime
    updated_at: datetime
    revisions: list[StandardRevisionRecord]


@dataclass(frozen=True)
class CategorySummary:
    """A category of the library with how many of its standards are in force or in draft."""

    category: str
    published: int
    drafts: int


SUMMARY_COLUMNS = SQL(
    "standard_id, key, category, question, expected_answer, priority, review_frequency,"
    " status, revision, updated_at")

DETAIL_COLUMNS = SQL(
    "standard_id, key, category, question, expected_answer, how_to_check, why_it_matters,"
    " priority, review_frequency, authority_references, status, revision, replaced_by,"
    " retired_reason, drafted_at, updated_at")

DETAIL_SQL = SQL("SELECT {} FROM standards WHERE tenant = %s AND standard_id = %s").format(
    DETAIL_COLUMNS)

# A key names one standard in force; a retired standard answers to it only when none in force does.
BY_KEY_SQL = SQL("SELECT {} FROM standards WHERE tenant = %s AND key = %s"
                 " ORDER BY status = 'retired', drafted_at DESC LIMIT 1").format(DETAIL_COLUMNS)

NATURAL_ORDER = SQL('ORDER BY category, sort_key COLLATE "C", key')

REVISIONS_SQL = SQL(
    "SELECT revision, changes, reason, meaning_changed, decided_by, recorded_at, category,"
    " question, expected_answer, how_to_check, why_it_matters, priority, review_frequency,"
    " authority_references FROM standard_revisions WHERE tenant = %s AND standard_id = %s"
    " ORDER BY revision")

CATEGORIES_SQL = SQL(
    "SELECT category, count(*) FILTER (WHERE status = 'published'),"
    " count(*) FILTER (WHERE status = 'draft') FROM standards WHERE tenant = %s"
    " GROUP BY category HAVING count(*) FILTER (WHERE status <> 'retired') > 0 ORDER BY category")


def revision_record(row: tuple[Any, ...]) -> StandardRevisionRecord:
    return StandardRevisionRecord(
        revision=row[0], changed_fields=tuple(sorted(row[1])), reason=row[2],
        meaning_changed=row[3], decided_by=row[4], recorded_at=row[5], category=row[6],
        question=row[7], expected_answer=row[8], how_to_check=row[9], why_it_matters=row[10],
        priority=row[11], review_frequency=row[12], authority_references=tuple(row[13]))


class StandardsLibraryView:
    """Typed queries over the standards library read model; other tenants' ids are not found."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def list_standards(self, tenant: str, *, category: str | None = None,
                       status: str | None = None, after: StandardCursor | None = None,
                       limit: int | None = None) -> list[StandardSummary]:
        """The tenant's standards ordered by category and key (natural order), optionally
        narrowed; a page of ``limit`` from the one after ``after`` when given."""
        conditions, params = self._narrowed(tenant, category, status)
        if after is not None:
            conditions.append(SQL('(category, sort_key COLLATE "C", key, standard_id)'
                                  ' > (%s, %s COLLATE "C", %s, %s)'))
            params.extend([after.category, natural_key(after.key), after.key, after.standard_id])
        query: Composed = SQL("SELECT {} FROM standards WHERE {} {}, standard_id LIMIT %s").format(
            SUMMARY_COLUMNS, SQL(" AND ").join(conditions), NATURAL_ORDER)
        with self.reader.cursor(StandardsLibraryProjection.name) as cur:
            cur.execute(query, [*params, limit])
            return [StandardSummary(*row) for row in cur.fetchall()]

    def count_standards(self, tenant: str, *, category: str | None = None,
                        status: str | None = None) -> int:
        """How many standards ``list_standards`` lists over all its pages."""
        conditions, params = self._narrowed(tenant, category, status)
        with self.reader.cursor(StandardsLibraryProjection.name) as cur:
            cur.execute(SQL("SELECT count(*) FROM standards WHERE {}").format(
                SQL(" AND ").join(conditions)), params)
            row = cur.fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _narrowed(tenant: str, category: str | None,
                  status: str | None) -> tuple[list[Composable], list[Any]]:
        conditions: list[Composable] = [SQL("tenant = %s")]
        params: list[Any] = [tenant]
        if category is not None:
            conditions.append(SQL("category = %s"))
            params.append(category)
        if status is not None:
            conditions.append(SQL("status = %s"))
            params.append(status)
        return conditions, params

    def get_standard(self, tenant: str, standard_id: UUID) -> StandardDetail | None:
        return self._detail(tenant, DETAIL_SQL, standard_id)

    def get_standard_by_key(self, tenant: str, key: str) -> StandardDetail | None:
        """The standard with this key (the one in force, when a retired one shared it)."""
        return self._detail(tenant, BY_KEY_SQL, key)

    def _detail(self, tenant: str, query: Composed, value: UUID | str) -> StandardDetail | None:
        with self.reader.cursor(StandardsLibraryProjection.name) as cur:
            cur.execute(query, (tenant, value))
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(REVISIONS_SQL, (tenant, row[0]))
            revisions = [revision_record(r) for r in cur.fetchall()]
        return StandardDetail(
            standard_id=row[0], key=row[1], category=row[2], question=row[3],
            expected_answer=row[4], how_to_check=row[5], why_it_matters=row[6], priority=row[7],
            review_frequency=row[8], authority_references=tuple(row[9]), status=row[10],
            revision=row[11], replaced_by=row[12], retired_reason=row[13], drafted_at=row[14],
            updated_at=row[15], revisions=revisions)

    def categories(self, tenant: str) -> list[CategorySummary]:
        """Categories holding at least one standard that is not retired, by name."""
        with self.reader.cursor(StandardsLibraryProjection.name) as cur:
            cur.execute(CATEGORIES_SQL, (tenant,))
            return [CategorySummary(*row) for row in cur.fetchall()]
