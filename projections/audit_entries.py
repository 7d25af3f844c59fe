"""What each event of a client or a standard says on the audit timeline: its row, worked out
against the state before the event (profiles, the library, earlier answers), which the audit
timeline keeps in its own tables and in the batch memo (:mod:`projections.audit_memo`)."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb

from aggregates.client import PROFILE_FIELDS, Client
from aggregates.standard import Standard
from projections.audit_memo import BatchMemo
from projections.library_tables import TEXT_FIELDS, apply_library_event


@dataclass(frozen=True)
class TimelineEntry:
    """One row of an audit timeline. ``before``/``after`` hold the bare value for answers,
    ratings and statuses, and ``field: value; ...`` for profile changes and revisions."""

    position: int
    occurred_at: datetime
    aggregate_kind: str
    client_id: UUID | None
    actor: str
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


COLUMNS = tuple(f.name for f in fields(TimelineEntry))
ENTRY_VALUES = attrgetter(*COLUMNS)  # an entry's values in column order, read in C
Row = Callable[..., TimelineEntry]


def human(value: str) -> str:
    return value.replace("_", " ")


def describe(values: dict[str, Any]) -> str:
    listed = {k: ", ".join(v) if isinstance(v, list) else v for k, v in values.items()}
    return "; ".join(f"{k}: {v}" for k, v in listed.items())


def as_stored(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile as it reads back from its jsonb column (so a batch boundary changes nothing)."""
    stored: dict[str, Any] = json.loads(json.dumps(profile))
    return stored


def onboarded(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    profile = {f: str(v) if isinstance(v := getattr(e, f), Decimal) else v for f in PROFILE_FIELDS}
    cur.execute("INSERT INTO profiles (client_id, profile) VALUES (%s, %s)",
                (e.originator_id, Jsonb(profile)))
    memo.profiles[e.originator_id] = as_stored(profile)
    return row("client_onboarded", f"Client {e.name} onboarded with vCIO {e.vcio} and TAM {e.tam}",
               after=describe(profile))


def profile_changed(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    found = memo.profile(cur, e.originator_id)
    old = {name: found.get(name) for name in e.changes}
    cur.execute("UPDATE profiles SET profile = profile || %s WHERE client_id = %s",
                (Jsonb(e.changes), e.originator_id))
    memo.profiles[e.originator_id] = as_stored({**found, **e.changes})
    changes = "; ".join(f"{n} from {old[n]} to {v}" for n, v in e.changes.items())
    return row("profile_changed", f"Profile changed: {changes}", before=describe(old),
               after=describe(e.changes))


def decision_maker_added(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    titled = f"Decision maker {e.decision_maker_id} added" + (f" as {e.title}" if e.title else "")
    memo.titles[e.decision_maker_id] = e.title or None
    return row("decision_maker_added", titled,
               decision_maker_id=e.decision_maker_id, after=e.title or None)


def decision_maker_removed(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    return row("decision_maker_removed", f"Decision maker {e.decision_maker_id} removed",
               decision_maker_id=e.decision_maker_id, before=memo.title(cur, e.decision_maker_id),
               reason=e.reason or None)


def decision_maker_erased(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    return row("decision_maker_erased", f"Decision maker {e.decision_maker_id} erased on request",
               decision_maker_id=e.decision_maker_id, before=memo.title(cur, e.decision_maker_id),
               reason=e.reason)


def review_started(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    scope = ", ".join(e.categories) or "all categories"
    memo.counts[e.review_id] = 0
    return row("review_started", f"Review started covering {scope}", review_id=e.review_id,
               after=scope)


def answer_recorded(cur: Cursor[Any], e: Any, position: int, memo: BatchMemo) -> tuple[Any, ...]:
    """An answer, as its timeline row (built straight in column order: answers are most of
    the log, and a ``TimelineEntry`` per answer cost more than the rest of its work); the
    first one of a review is shown against the client's answer to the same standard in an
    earlier review (the previous answer the reviewer saw), if any."""
    review_id, standard_id = e.review_id, e.standard_id
    pair = (review_id, standard_id)
    before, after = memo.answer(cur, pair), e.answer._value_
    key, category, *_ = memo.standard(cur, standard_id)
    if before is None:
        latest = memo.latest_answer(cur, e.originator_id, standard_id)
        before = latest[1] if latest is not None and latest[0] != review_id else None
        kind, summary = "answer_recorded", f"Answer to {key} recorded as {human(after)}"
        if before is not None:
            summary += f" (previous review: {human(before)})"
        memo.counts[review_id] = memo.count(cur, review_id) + 1
    elif before != after:
        kind = "answer_changed"
        summary = f"Answer to {key} changed from {human(before)} to {human(after)}"
    else:
        kind, summary = "answer_changed", f"Answer to {key} recorded again as {human(after)}"
    memo.set_answer(pair, after)
    memo.latest[e.originator_id, standard_id] = (review_id, after)
    return (e.tenant, position, e.timestamp, "client", e.originator_id, e.by, kind, summary,
            standard_id, key, category, review_id, None, e.standard_revision, before, after,
            e.note or None)


def answer_rated(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    pair = (e.review_id, e.standard_id)
    # a newer answer clears the rating, so only a rating that is the latest row counts
    before, after = memo.rating(cur, pair), e.rating.value
    key, category, *_ = memo.standard(cur, e.standard_id)
    memo.set_rating(pair, after)
    summary = (f"Answer to {key} rated {human(after)}" if before is None else
               f"Rating of the answer to {key} changed from {human(before)} to {human(after)}")
    return row("answer_rated", summary, e.standard_id, key, category, e.review_id,
               before=before, after=after)


def review_completed(cur: Cursor[Any], e: Any, row: Row, memo: BatchMemo) -> TimelineEntry:
    count = memo.count(cur, e.review_id)
    memo.finalised(e.review_id)
    return row("review_completed", f"Review completed with {count} answer{'s' * (count != 1)}",
               review_id=e.review_id)


STATUS_AFTER: dict[type, str] = {Standard.StandardDrafted: "draft",
                                 Standard.StandardPublished: "published",
                                 Standard.StandardRetired: "retired"}


def standard_changed(cur: Cursor[Any], e: Any, row: Row, position: int,
                     memo: BatchMemo) -> TimelineEntry:
    """Any event of a standard: apply it to the library and compare with the state before,
    kept in the batch memo (only a revision reads the old wording of what it changes)."""
    if isinstance(e, Standard.StandardDrafted):
        status_before, key, category, revision = None, e.key, e.category, 1
    else:
        key, category, status_before, revision = memo.standard(cur, e.originator_id)
    old: dict[str, Any] = {}
    if isinstance(e, Standard.StandardRevised):
        cur.execute(STANDARD_TEXT_SQL, (e.originator_id,))
        old = dict(zip(TEXT_FIELDS, (cur.fetchone() or (None,) * (1 + len(TEXT_FIELDS)))[1:],
                       strict=True))
        category, revision = e.changes.get("category", category), e.revision
    apply_library_event(cur, e, position)
    status: str | None = STATUS_AFTER.get(type(e), status_before)
    if status_before is None and not isinstance(e, Standard.StandardDrafted):
        status = None  # an unknown standard (the library has no row to change)
    memo.standards[e.originator_id] = (key, category, status, revision)
    entry = partial(row, standard_id=e.originator_id, standard_key=key, category=category,
                    standard_revision=revision, before=status_before, after=status)
    if isinstance(e, Standard.StandardDrafted):
        return entry("standard_drafted", f"Standard {key} drafted in {category}")
    if isinstance(e, Standard.StandardPublished):
        return entry("standard_published", f"Standard {key} published at revision {revision}")
    if isinstance(e, Standard.StandardRetired):
        replaced = f", replaced by {memo.standard(cur, e.replaced_by)[0]}" if e.replaced_by else ""
        return entry("standard_retired", f"Standard {key} retired{replaced}", reason=e.reason)
    changed = [name for name in TEXT_FIELDS if name in e.changes]
    meaning = "; meaning changed" if e.meaning_changed else ""
    return entry("standard_revised",
                 f"Standard {key} revised to revision {revision}: {', '.join(changed)} changed"
                 f"{meaning}", before=describe({name: old[name] for name in changed}),
                 after=describe({name: e.changes[name] for name in changed}), reason=e.reason)


CLIENT_HANDLERS: Mapping[type, Callable[[Cursor[Any], Any, Row, BatchMemo], TimelineEntry]] = {
    Client.ClientOnboarded: onboarded, Client.ClientProfileChanged: profile_changed,
    Client.DecisionMakerAdded: decision_maker_added,
    Client.DecisionMakerRemoved: decision_maker_removed,
    Client.DecisionMakerErased: decision_maker_erased, Client.ReviewStarted: review_started,
    Client.AnswerRated: answer_rated,
    Client.ReviewCompleted: review_completed}
STANDARD_EVENTS = (Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
                   Standard.StandardRetired)
STANDARD_TEXT_SQL = SQL("SELECT status, {} FROM standards WHERE standard_id = %s").format(
    SQL(", ").join(map(Identifier, TEXT_FIELDS))).as_string()
