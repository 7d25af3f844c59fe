"""Read model: who changed what about a client (or a standard), when, from what to what, and why?

One row per event of a client (onboarding, profile, decision makers, reviews, answers, ratings)
and per event of a standard (``client_id`` NULL), with the actor, a short summary, the value
before and after, and the reason or note. The prior state that "before" needs (profiles,
answers of each review, the library's wording) lives in this projection's own tables.
Decision makers appear only by id: their personal data is sealed and never copied here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.rows import class_row
from psycopg.sql import SQL, Composable, Identifier
from psycopg.types.json import Jsonb

from aggregates.client import PROFILE_FIELDS, Client
from aggregates.standard import Standard
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.library_tables import (
    STANDARD_TOPICS,
    TEXT_FIELDS,
    apply_library_event,
    create_library_tables,
)

CLIENT_TOPICS = tuple(get_topic(cls) for cls in (
    Client.ClientOnboarded, Client.ClientProfileChanged, Client.DecisionMakerAdded,
    Client.DecisionMakerRemoved, Client.ReviewStarted, Client.AnswerRecorded, Client.AnswerRated,
    Client.ReviewCompleted))


@dataclass(frozen=True)
class Entry:
    """What one event says in the timeline, before the columns every row shares."""

    kind: str
    summary: str
    standard_id: UUID | None = None
    standard_key: str | None = None
    category: str | None = None
    review_id: UUID | None = None
    decision_maker_id: UUID | None = None
    standard_revision: int | None = None
    before: str | None = None
    after: str | None = None
    reason: str | None = None


ENTRY_COLUMNS = tuple(Entry.__dataclass_fields__)


def plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def human(value: str) -> str:
    return value.replace("_", " ")


def describe(values: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {plain(value)}" for name, value in values.items())


def fetch(cur: Cursor[Any], query: str, params: tuple[Any, ...]) -> Any:
    return cur.execute(query, params).fetchone()  # type: ignore[arg-type]


def standard_row(cur: Cursor[Any], standard_id: UUID) -> tuple[str, str | None, str | None, int | None]:
    """Key, category, status and revision of a standard as this projection knows it now."""
    row = fetch(cur, "SELECT key, category, status, revision FROM standards WHERE standard_id = %s",
                (standard_id,))
    return tuple(row) if row else (str(standard_id), None, None, None)  # type: ignore[return-value]


def onboarded(cur: Cursor[Any], e: Any, position: int) -> Entry:
    profile = {f: str(v) if isinstance(v := getattr(e, f), Decimal) else v for f in PROFILE_FIELDS}
    cur.execute("INSERT INTO profiles (client_id, profile) VALUES (%s, %s)",
                (e.originator_id, Jsonb(profile)))
    return Entry("client_onboarded", f"Client {e.name} onboarded with vCIO {e.vcio} and TAM {e.tam}",
                 after=describe(profile))


def profile_changed(cur: Cursor[Any], e: Any, position: int) -> Entry:
    row = fetch(cur, "SELECT profile FROM profiles WHERE client_id = %s", (e.originator_id,))
    old = {name: (row[0] if row else {}).get(name) for name in e.changes}
    cur.execute("UPDATE profiles SET profile = profile || %s WHERE client_id = %s",
                (Jsonb(e.changes), e.originator_id))
    changes = "; ".join(f"{n} from {plain(old[n])} to {plain(v)}" for n, v in e.changes.items())
    return Entry("profile_changed", f"Profile changed: {changes}", before=describe(old),
                 after=describe(e.changes))


def decision_maker_added(cur: Cursor[Any], e: Any, position: int) -> Entry:
    cur.execute("INSERT INTO decision_makers (decision_maker_id, title) VALUES (%s, %s)",
                (e.decision_maker_id, e.title))
    titled = f" as {e.title}" if e.title else ""
    return Entry("decision_maker_added", f"Decision maker {e.decision_maker_id} added{titled}",
                 decision_maker_id=e.decision_maker_id, after=e.title or None)


def decision_maker_removed(cur: Cursor[Any], e: Any, position: int) -> Entry:
    row = fetch(cur, "SELECT title FROM decision_makers WHERE decision_maker_id = %s",
                (e.decision_maker_id,))
    return Entry("decision_maker_removed", f"Decision maker {e.decision_maker_id} removed",
                 decision_maker_id=e.decision_maker_id, before=row[0] if row else None,
                 reason=e.reason or None)


def review_started(cur: Cursor[Any], e: Any, position: int) -> Entry:
    scope = ", ".join(e.categories) or "all categories"
    return Entry("review_started", f"Review started covering {scope}", review_id=e.review_id,
                 after=scope)


def answer_recorded(cur: Cursor[Any], e: Any, position: int) -> Entry:
    row = fetch(cur, "SELECT answer FROM answers WHERE review_id = %s AND standard_id = %s",
                (e.review_id, e.standard_id))
    before, after = (row[0] if row else None), e.answer.value
    cur.execute("INSERT INTO answers (review_id, standard_id, answer) VALUES (%s, %s, %s)"
                " ON CONFLICT (review_id, standard_id) DO UPDATE SET answer = excluded.answer,"
                " rating = NULL", (e.review_id, e.standard_id, after))
    key, category, *_ = standard_row(cur, e.standard_id)
    if before is None:
        kind, summary = "answer_recorded", f"Answer to {key} recorded as {human(after)}"
    elif before != after:
        kind, summary = "answer_changed", f"Answer to {key} changed from {human(before)} to {human(after)}"
    else:
        kind, summary = "answer_changed", f"Answer to {key} recorded again as {human(after)}"
    return Entry(kind, summary, e.standard_id, key, category, e.review_id,
                 standard_revision=e.standard_revision, before=before, after=after,
                 reason=e.note or None)


def answer_rated(cur: Cursor[Any], e: Any, position: int) -> Entry:
    row = fetch(cur, "SELECT rating FROM answers WHERE review_id = %s AND standard_id = %s",
                (e.review_id, e.standard_id))
    before, after = (row[0] if row else None), e.rating.value
    cur.execute("UPDATE answers SET rating = %s WHERE review_id = %s AND standard_id = %s",
                (after, e.review_id, e.standard_id))
    key, category, *_ = standard_row(cur, e.standard_id)
    summary = (f"Answer to {key} rated {human(after)}" if before is None else
               f"Rating of the answer to {key} changed from {human(before)} to {human(after)}")
    return Entry("answer_rated", summary, e.standard_id, key, category, e.review_id,
                 before=before, after=after)


def review_completed(cur: Cursor[Any], e: Any, position: int) -> Entry:
    count = int(fetch(cur, "SELECT count(*) FROM answers WHERE review_id = %s", (e.review_id,))[0])
    return Entry("review_completed", f"Review completed with {count} answer{'s' * (count != 1)}",
                 review_id=e.review_id)


def standard_drafted(cur: Cursor[Any], e: Any, position: int) -> Entry:
    apply_library_event(cur, e, position)
    return Entry("standard_drafted", f"Standard {e.key} drafted in {e.category}", e.originator_id,
                 e.key, e.category, standard_revision=1, after=e.question)


def standard_published(cur: Cursor[Any], e: Any, position: int) -> Entry:
    apply_library_event(cur, e, position)
    key, category, _, revision = standard_row(cur, e.originator_id)
    return Entry("standard_published", f"Standard {key} published at revision {revision}",
                 e.originator_id, key, category, standard_revision=revision, before="draft",
                 after="published")


def standard_revised(cur: Cursor[Any], e: Any, position: int) -> Entry:
    fields = [name for name in TEXT_FIELDS if name in e.changes]
    old = fetch(cur, SQL("SELECT {} FROM standards WHERE standard_id = %s").format(  # type: ignore[arg-type]
        SQL(", ").join(map(Identifier, fields))), (e.originator_id,)) or (None,) * len(fields)
    apply_library_event(cur, e, position)
    key, category, *_ = standard_row(cur, e.originator_id)
    meaning = "; meaning changed" if e.meaning_changed else ""
    return Entry("standard_revised",
                 f"Standard {key} revised to revision {e.revision}: {', '.join(fields)} changed{meaning}",
                 e.originator_id, key, category, standard_revision=e.revision,
                 before=describe(dict(zip(fields, old, strict=True))),
                 after=describe({name: e.changes[name] for name in fields}), reason=e.reason)


def standard_retired(cur: Cursor[Any], e: Any, position: int) -> Entry:
    _, _, status, revision = standard_row(cur, e.originator_id)
    apply_library_event(cur, e, position)
    key, category, *_ = standard_row(cur, e.originator_id)
    replaced = f", replaced by {standard_row(cur, e.replaced_by)[0]}" if e.replaced_by else ""
    return Entry("standard_retired", f"Standard {key} retired{replaced}", e.originator_id, key,
                 category, standard_revision=revision, before=status, after="retired",
                 reason=e.reason)


HANDLERS: Mapping[type, Callable[[Cursor[Any], Any, int], Entry]] = MappingProxyType({
    Client.ClientOnboarded: onboarded, Client.ClientProfileChanged: profile_changed,
    Client.DecisionMakerAdded: decision_maker_added,
    Client.DecisionMakerRemoved: decision_maker_removed, Client.ReviewStarted: review_started,
    Client.AnswerRecorded: answer_recorded, Client.AnswerRated: answer_rated,
    Client.ReviewCompleted: review_completed, Standard.StandardDrafted: standard_drafted,
    Standard.StandardPublished: standard_published, Standard.StandardRevised: standard_revised,
    Standard.StandardRetired: standard_retired})


@dataclass(frozen=True, kw_only=True)
class TimelineEntry(Entry):
    """One row of an audit timeline. ``before``/``after`` hold the bare value for answers and
    ratings, and ``field: value; ...`` for profile changes and standard revisions."""

    position: int
    occurred_at: datetime
    aggregate_kind: str
    client_id: UUID | None
    actor: str


class AuditTimelineProjection(Projection):
    name = "audit_timeline"
    topics = CLIENT_TOPICS + STANDARD_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        cur.execute("CREATE TABLE profiles (client_id uuid PRIMARY KEY, profile jsonb NOT NULL)")
        cur.execute("CREATE TABLE decision_makers (decision_maker_id uuid PRIMARY KEY, title text NOT NULL)")
        cur.execute("CREATE TABLE answers (review_id uuid NOT NULL, standard_id uuid NOT NULL,"
                    " answer text NOT NULL, rating text, PRIMARY KEY (review_id, standard_id))")
        cur.execute("""
            CREATE TABLE timeline (
                position bigint PRIMARY KEY, tenant text NOT NULL, aggregate_kind text NOT NULL,
                client_id uuid, occurred_at timestamptz NOT NULL, actor text NOT NULL,
                kind text NOT NULL, summary text NOT NULL, standard_id uuid, standard_key text,
                category text, review_id uuid, decision_maker_id uuid, standard_revision int,
                before text, after text, reason text)""")
        cur.execute("CREATE INDEX ON timeline (tenant, client_id, position)")
        cur.execute("CREATE INDEX ON timeline (tenant, standard_id, position)")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if fetch(cur, "SELECT 1 FROM timeline WHERE position = %s", (position,)):
            return  # already applied: its prior state is gone, so it must not be recomputed
        entry = HANDLERS[type(event)](cur, event, position)
        is_standard = isinstance(event, Standard.Event)
        cur.execute(
            SQL("INSERT INTO timeline (position, tenant, aggregate_kind, client_id, occurred_at,"
                " actor, {}) VALUES (%s, %s, %s, %s, %s, %s, {})").format(
                SQL(", ").join(map(Identifier, ENTRY_COLUMNS)),
                SQL(", ").join(SQL("%s") for _ in ENTRY_COLUMNS)),
            (position, event.tenant, "standard" if is_standard else "client",
             None if is_standard else event.originator_id, event.timestamp, event.by,
             *(getattr(entry, name) for name in ENTRY_COLUMNS)))


SELECT_ENTRIES = SQL("SELECT position, occurred_at, aggregate_kind, client_id, actor, {}"
                     " FROM timeline").format(SQL(", ").join(map(Identifier, ENTRY_COLUMNS)))


class AuditTimelineView:
    """Typed queries over the audit timeline, newest first; other tenants' ids find nothing."""

    def __init__(self, reader: ProjectionReader) -> None:
        self.reader = reader

    def _entries(self, wanted: list[tuple[Composable, Any]], limit: int | None) -> list[TimelineEntry]:
        conditions = [(clause, value) for clause, value in wanted if value is not None]
        query = SQL("{} WHERE {} ORDER BY position DESC LIMIT %s").format(
            SELECT_ENTRIES, SQL(" AND ").join(clause for clause, _ in conditions))
        with self.reader.cursor(AuditTimelineProjection.name) as cur:
            cur.row_factory = class_row(TimelineEntry)
            cur.execute(query, [*(value for _, value in conditions), limit])
            return cur.fetchall()  # type: ignore[return-value]

    def timeline(self, tenant: str, client_id: UUID, *, actor: str | None = None,
                 standard_id: UUID | None = None, category: str | None = None,
                 since: datetime | None = None, until: datetime | None = None,
                 limit: int = 500) -> list[TimelineEntry]:
        """A client's events, optionally narrowed; ``since`` is inclusive, ``until`` exclusive."""
        return self._entries([
            (SQL("tenant = %s"), tenant), (SQL("client_id = %s"), client_id),
            (SQL("actor = %s"), actor), (SQL("standard_id = %s"), standard_id),
            (SQL("category = %s"), category), (SQL("occurred_at >= %s"), since),
            (SQL("occurred_at < %s"), until)], limit)

    def standard_timeline(self, tenant: str, standard_id: UUID) -> list[TimelineEntry]:
        """The committee's trail of one standard (drafted, published, revised, retired)."""
        return self._entries([(SQL("tenant = %s"), tenant), (SQL("standard_id = %s"), standard_id),
                              (SQL("aggregate_kind = %s"), "standard")], None)
