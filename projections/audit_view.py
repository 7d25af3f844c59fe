"""Typed queries over the audit timeline (:mod:`projections.audit_timeline`), newest first."""

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import class_row
from psycopg.sql import SQL, Identifier

from projections.audit_entries import COLUMNS, TimelineEntry
from projections.audit_timeline import AuditTimelineProjection
from projections.catalog import ProjectionReader


class AuditTimelineView:
    """Typed queries over the audit timeline, newest first; other tenants' ids find nothing."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def _entries(self, where: list[tuple[SQL, Any]], limit: int | None) -> list[TimelineEntry]:
        conditions = [(clause, value) for clause, value in where if value is not None]
        query = SQL("SELECT {} FROM timeline WHERE {} ORDER BY position DESC LIMIT %s").format(
            SQL(", ").join(map(Identifier, COLUMNS)), SQL(" AND ").join(c for c, _ in conditions))
        with self.reader.cursor(AuditTimelineProjection.name) as cur:
            cur.row_factory = class_row(TimelineEntry)
            cur.execute(query, [*(value for _, value in conditions), limit])
            return cur.fetchall()

    def timeline(self, tenant: str, client_id: UUID, *, actor: str | None = None,
                 standard_id: UUID | None = None, category: str | None = None,
                 since: datetime | None = None, until: datetime | None = None,
                 before: int | None = None, limit: int = 500) -> list[TimelineEntry]:
        """A client's events, newest first, optionally narrowed; ``since`` is inclusive,
        ``until`` exclusive; ``before`` (a position) continues a page: entries are ordered by
        their position in the log, so pages never repeat or skip one while writes go on."""
        return self._entries([
            (SQL("tenant = %s"), tenant), (SQL("client_id = %s"), client_id),
            (SQL("actor = %s"), actor), (SQL("standard_id = %s"), standard_id),
            (SQL("category = %s"), category), (SQL("occurred_at >= %s"), since),
            (SQL("occurred_at < %s"), until), (SQL("position < %s"), before)], limit)

    def standard_timeline(self, tenant: str, standard_id: UUID) -> list[TimelineEntry]:
        """The committee's trail of one standard (drafted, published, revised, retired)."""
        # The kind is written out, not a parameter: the planner then knows the standard's
        # partial index (of standards' own rows) fits, whichever plan it caches.
        return self._entries([(SQL("tenant = %s"), tenant), (SQL(
            "aggregate_kind = 'standard' AND standard_id = %s"), standard_id)], None)
