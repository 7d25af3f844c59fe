"""Read model: what is waiting for the standards committee?

The suggestions sent to it (open ones first in mind: who suggested what, prompted by which
client finding) with the committee's decision once made, and the change sets it has opened (a
suggestion is accepted into an open one), with how many proposals each holds.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.sql import SQL, Composed

from aggregates.change_set import LibraryChangeSet
from aggregates.standard_suggestion import StandardSuggestion
from projections.base import Projection
from projections.catalog import ProjectionReader

CS = LibraryChangeSet
PROPOSED = (CS.NewStandardProposed, CS.RevisionProposed, CS.WeightChangeProposed, CS.RetirementProposed)
SUGGESTION_TOPICS = tuple(get_topic(cls) for cls in (
    StandardSuggestion.StandardSuggested, StandardSuggestion.SuggestionAccepted,
    StandardSuggestion.SuggestionDeclined))
CHANGE_SET_TOPICS = tuple(get_topic(cls) for cls in (
    CS.ChangeSetOpened, *PROPOSED, CS.ProposalWithdrawn, CS.ChangeSetPublished, CS.ChangeSetDiscarded))


class SuggestionInboxProjection(Projection):
    name = "suggestion_inbox"
    topics = SUGGESTION_TOPICS + CHANGE_SET_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        cur.execute("""
            CREATE TABLE suggestions (
                suggestion_id uuid PRIMARY KEY, tenant text NOT NULL, kind text NOT NULL,
                text text NOT NULL, standard_id uuid, standard_key text, client_id uuid,
                client_name text, suggested_by text NOT NULL, suggested_by_role text NOT NULL,
                suggested_at timestamptz NOT NULL, status text NOT NULL, change_set_id uuid,
                item_id uuid, decided_by text, decided_at timestamptz, decline_reason text)""")
        cur.execute("CREATE INDEX ON suggestions (tenant, status, suggested_at)")
        cur.execute("""
            CREATE TABLE change_sets (
                change_set_id uuid PRIMARY KEY, tenant text NOT NULL, title text NOT NULL,
                reason text NOT NULL, opened_by text NOT NULL, opened_at timestamptz NOT NULL,
                status text NOT NULL, proposals int NOT NULL, updated_at timestamptz NOT NULL)""")
        cur.execute("CREATE INDEX ON change_sets (tenant, status, opened_at)")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if isinstance(event, StandardSuggestion.StandardSuggested):
            cur.execute(
                "INSERT INTO suggestions (suggestion_id, tenant, kind, text, standard_id, standard_key,"
                " client_id, client_name, suggested_by, suggested_by_role, suggested_at, status)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'open')",
                (event.originator_id, event.tenant, event.kind.value, event.text, event.standard_id,
                 event.standard_key, event.client_id, event.client_name, event.by, event.by_role,
                 event.timestamp))
        elif isinstance(event, StandardSuggestion.SuggestionAccepted):
            cur.execute("UPDATE suggestions SET status = 'accepted', change_set_id = %s, item_id = %s,"
                        " decided_by = %s, decided_at = %s WHERE suggestion_id = %s",
                        (event.change_set_id, event.item_id, event.by, event.timestamp,
                         event.originator_id))
        elif isinstance(event, StandardSuggestion.SuggestionDeclined):
            cur.execute("UPDATE suggestions SET status = 'declined', decline_reason = %s,"
                        " decided_by = %s, decided_at = %s WHERE suggestion_id = %s",
                        (event.reason, event.by, event.timestamp, event.originator_id))
        else:
            apply_change_set_event(cur, event)


def apply_change_set_event(cur: Cursor[Any], event: Any) -> None:
    if isinstance(event, CS.ChangeSetOpened):
        cur.execute("INSERT INTO change_sets (change_set_id, tenant, title, reason, opened_by,"
                    " opened_at, status, proposals, updated_at) VALUES (%s, %s, %s, %s, %s, %s,"
                    " 'open', 0, %s)", (event.originator_id, event.tenant, event.title, event.reason,
                                        event.by, event.timestamp, event.timestamp))
        return
    if isinstance(event, PROPOSED):
        change, status = 1, None
    elif isinstance(event, CS.ProposalWithdrawn):
        change, status = -1, None
    elif isinstance(event, CS.ChangeSetPublished):
        change, status = 0, "published"
    else:
        change, status = 0, "discarded"
    cur.execute("UPDATE change_sets SET proposals = proposals + %s, status = coalesce(%s, status),"
                " updated_at = %s WHERE change_set_id = %s",
                (change, status, event.timestamp, event.originator_id))


@dataclass(frozen=True)
class Suggestion:
    """A suggestion to the committee and, once decided, the decision."""

    suggestion_id: UUID
    kind: str
    text: str
    standard_id: UUID | None
    standard_key: str | None
    client_id: UUID | None
    client_name: str | None
    suggested_by: str
    suggested_by_role: str
    suggested_at: datetime
    status: str
    change_set_id: UUID | None
    item_id: UUID | None
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None


@dataclass(frozen=True)
class ChangeSetSummary:
    """A change set the committee opened, with how many proposals it now holds."""

    change_set_id: UUID
    title: str
    reason: str
    opened_by: str
    opened_at: datetime
    status: str
    proposals: int
    updated_at: datetime


SUGGESTION_COLUMNS = SQL(
    "suggestion_id, kind, text, standard_id, standard_key, client_id, client_name, suggested_by,"
    " suggested_by_role, suggested_at, status, change_set_id, item_id, decided_by, decided_at,"
    " decline_reason")
CHANGE_SET_COLUMNS = SQL(
    "change_set_id, title, reason, opened_by, opened_at, status, proposals, updated_at")


class SuggestionInboxView:
    """Typed queries over the committee's inbox; other tenants' ids are not found."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def suggestions(self, tenant: str, status: str | None = "open",
                    after: tuple[datetime, UUID] | None = None,
                    limit: int | None = None) -> list[Suggestion]:
        """Suggestions in this status (None: all), oldest first: the queue as it arrived; a
        page of ``limit`` from the one after ``after`` (its time and id) when given."""
        at, suggestion_id = after if after is not None else (None, None)
        query: Composed = SQL("SELECT {} FROM suggestions WHERE tenant = %s AND (%s::text IS NULL"
                              " OR status = %s) AND (%s::timestamptz IS NULL"
                              " OR (suggested_at, suggestion_id) > (%s, %s))"
                              " ORDER BY suggested_at, suggestion_id LIMIT %s").format(
                                  SUGGESTION_COLUMNS)
        with self.reader.cursor(SuggestionInboxProjection.name) as cur:
            cur.execute(query, (tenant, status, status, at, at, suggestion_id, limit))
            return [Suggestion(*row) for row in cur.fetchall()]

    def count_suggestions(self, tenant: str, status: str | None = "open") -> int:
        """How many suggestions ``suggestions`` lists over all its pages."""
        with self.reader.cursor(SuggestionInboxProjection.name) as cur:
            cur.execute("SELECT count(*) FROM suggestions WHERE tenant = %s"
                        " AND (%s::text IS NULL OR status = %s)", (tenant, status, status))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def suggestion(self, tenant: str, suggestion_id: UUID) -> Suggestion | None:
        query = SQL("SELECT {} FROM suggestions WHERE tenant = %s AND suggestion_id = %s").format(
            SUGGESTION_COLUMNS)
        with self.reader.cursor(SuggestionInboxProjection.name) as cur:
            cur.execute(query, (tenant, suggestion_id))
            row = cur.fetchone()
        return None if row is None else Suggestion(*row)

    def change_sets(self, tenant: str, status: str | None = "open") -> list[ChangeSetSummary]:
        """Change sets in this status (None: all), newest first."""
        query = SQL("SELECT {} FROM change_sets WHERE tenant = %s AND (%s::text IS NULL"
                    " OR status = %s) ORDER BY opened_at DESC, change_set_id").format(CHANGE_SET_COLUMNS)
        with self.reader.cursor(SuggestionInboxProjection.name) as cur:
            cur.execute(query, (tenant, status, status))
            return [ChangeSetSummary(*row) for row in cur.fetchall()]
