"""Append-only history tables: every state a standard and an answer has had, by log position.

Each row is the whole state right after one event, with the event's recording time (its
timestamp) and, for answers, the reviewer's observation time. Rows are never updated, so a
query "as of T" picks, per standard or answer, the last row recorded (or observed) by T; a
later, back-dated correction adds a row and leaves what an earlier instant showed untouched.
"""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.sql import SQL, Composed, Identifier, Placeholder
from psycopg.types.json import Jsonb

from aggregates.client import Client
from aggregates.standard import Standard
from projections.catalog import output_only
from projections.write_behind import RowsInserter

HISTORY_TOPICS = (get_topic(Standard.StandardReviewed),)

TEXT_COLUMNS = ("category", "question", "expected_answer", "how_to_check", "why_it_matters",
                "priority", "review_frequency", "authority_references")
STANDARD_COLUMNS = ("standard_id", "tenant", "position", "recorded_at", "kind", "key", "status",
                    "revision", *TEXT_COLUMNS, "meaning_changed", "reason", "decided_by",
                    "successors", "decided_at")
ANSWER_COLUMNS = ("review_id", "standard_id", "client_id", "tenant", "position", "recorded_at",
                  "observed_at", "kind", "answer", "rating", "standard_revision",
                  "expected_answer", "note", "answered_by", "rated_by")


def create_history_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE standard_history (
            standard_id uuid NOT NULL, tenant text NOT NULL, position bigint NOT NULL,
            recorded_at timestamptz NOT NULL, kind text NOT NULL, key text NOT NULL,
            status text NOT NULL, revision int NOT NULL, category text NOT NULL,
            question text NOT NULL, expected_answer text NOT NULL, how_to_check text NOT NULL,
            why_it_matters text NOT NULL, priority text NOT NULL, review_frequency text NOT NULL,
            authority_references jsonb NOT NULL, meaning_changed bool NOT NULL,
            reason text NOT NULL, decided_by text NOT NULL, successors uuid[] NOT NULL,
            decided_at timestamptz NOT NULL, PRIMARY KEY (standard_id, position))""")
    cur.execute("CREATE INDEX ON standard_history (tenant, recorded_at)")
    cur.execute("CREATE INDEX ON standard_history USING gin (successors)")
    cur.execute("""
        CREATE TABLE answer_history (
            review_id uuid NOT NULL, standard_id uuid NOT NULL, client_id uuid NOT NULL,
            tenant text NOT NULL, position bigint NOT NULL, recorded_at timestamptz NOT NULL,
            observed_at timestamptz NOT NULL, kind text NOT NULL, answer text NOT NULL,
            rating text, standard_revision int NOT NULL, expected_answer text NOT NULL,
            note text NOT NULL, answered_by text NOT NULL, rated_by text,
            PRIMARY KEY (review_id, standard_id, position))""")
    output_only(cur, "answer_history", ("answer", "rating", "standard_revision", "expected_answer",
                                        "note", "answered_by", "rated_by"))
    cur.execute("""
        CREATE TABLE review_recorded (
            review_id uuid PRIMARY KEY, client_id uuid NOT NULL, started_position bigint NOT NULL,
            started_recorded_at timestamptz NOT NULL, submitted_recorded_at timestamptz,
            completed_position bigint, completed_recorded_at timestamptz)""")


def column_list(columns: tuple[str, ...]) -> Composed:
    return SQL(", ").join(map(Identifier, columns))


def fetched(cur: Cursor[Any], what: str) -> tuple[Any, ...]:
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"no earlier history row of this {what}; the log was applied out of order")
    return tuple(row)


LAST_STANDARD_SQL = SQL("SELECT {} FROM standard_history WHERE standard_id = %s"
                        " ORDER BY position DESC LIMIT 1").format(
    column_list(STANDARD_COLUMNS)).as_string()


def last_standard_row(cur: Cursor[Any], standard_id: Any) -> dict[str, Any]:
    cur.execute(LAST_STANDARD_SQL, (standard_id,))
    row = dict(zip(STANDARD_COLUMNS, fetched(cur, "standard"), strict=True))
    row["authority_references"] = Jsonb(row["authority_references"])
    return row


def insert_sql(table: str, columns: tuple[str, ...]) -> Composed:
    return SQL("INSERT INTO {} ({}) VALUES ({})").format(
        Identifier(table), column_list(columns), SQL(", ").join(Placeholder() * len(columns)))


INSERT_STANDARD_SQL = insert_sql("standard_history", STANDARD_COLUMNS).as_string()
ANSWER_HISTORY = RowsInserter("answer_history", ANSWER_COLUMNS)
RATED = {"position": Placeholder(), "recorded_at": Placeholder(), "kind": SQL("'rated'"),
         "rating": Placeholder(), "rated_by": Placeholder()}
RATED_SQL = SQL("INSERT INTO answer_history ({}) SELECT {} FROM answer_history"
                " WHERE review_id = %s AND standard_id = %s ORDER BY position DESC LIMIT 1").format(
    column_list(ANSWER_COLUMNS),
    SQL(", ").join(RATED.get(c, Identifier(c)) for c in ANSWER_COLUMNS)).as_string()


def rated_row(last: tuple[Any, ...], position: int, recorded_at: Any, rating: str,
              rated_by: str) -> tuple[Any, ...]:
    """The row ``RATED_SQL`` adds after ``last``: the same answer, rated."""
    return (*last[:4], position, recorded_at, last[6], "rated", last[8], rating, *last[10:14],
            rated_by)


def plain(value: Any) -> Any:
    return getattr(value, "value", value)


def apply_standard_history(cur: Cursor[Any], event: Any, position: int,
                           latest: dict[Any, dict[str, Any]] | None = None) -> bool:
    """Record the standard's whole state after ``event``; False when not a standard's event.
    ``latest`` (standard id -> its last row) spares reading back a row written earlier in
    the same batch; the caller forgets it when the batch ends."""
    if isinstance(event, Standard.StandardDrafted):
        row: dict[str, Any] = {name: plain(getattr(event, name)) for name in TEXT_COLUMNS}
        row.update(standard_id=event.originator_id, tenant=event.tenant, key=event.key,
                   status="draft", revision=1, meaning_changed=False, reason="drafted",
                   successors=[], authority_references=Jsonb(list(event.authority_references)))
    elif isinstance(event, (Standard.StandardPublished, Standard.StandardRevised,
                            Standard.StandardRetired, Standard.StandardReviewed)):
        known = latest.get(event.originator_id) if latest is not None else None
        row = dict(known) if known is not None else last_standard_row(cur, event.originator_id)
        row.update(meaning_changed=False, reason="")
        if isinstance(event, Standard.StandardPublished):
            row.update(status="published", reason="published")
        elif isinstance(event, Standard.StandardRevised):
            changes = dict(event.changes)
            if "authority_references" in changes:
                changes["authority_references"] = Jsonb(list(changes["authority_references"]))
            row.update(changes, revision=event.revision, meaning_changed=event.meaning_changed,
                       reason=event.reason)
        elif isinstance(event, Standard.StandardRetired):
            row.update(status="retired", reason=event.reason, successors=list(event.successors))
        else:
            row.update(reason=event.note)
    else:
        return False
    kind = type(event).__name__.removeprefix("Standard").lower()
    decided_at = getattr(event, "reviewed_at", event.timestamp)
    row.update(position=position, recorded_at=event.timestamp, kind=kind, decided_by=event.by,
               decided_at=decided_at)
    cur.execute(INSERT_STANDARD_SQL, [row[c] for c in STANDARD_COLUMNS])
    if latest is not None:
        latest[event.originator_id] = row
    return True


#: The last answer history row written for each (review, standard) in the batch at hand.
KeptAnswers = dict[tuple[Any, Any], tuple[Any, ...]]


def apply_answer_history(cur: Cursor[Any], event: Any, position: int,
                         kept: KeptAnswers | None = None) -> None:
    """Record answers, ratings and the recording times of reviews starting and completing.
    ``kept`` (the rows written in this batch, forgotten by the caller when it ends): a
    rating of an answer written in the same batch copies its row here, as ``RATED_SQL``
    would in the database (most ratings follow their answer closely: one statement less
    each, and the answers' run of rows goes on instead of being sent first)."""
    if isinstance(event, Client.AnswerRecorded):
        row = (event.review_id, event.standard_id, event.originator_id, event.tenant, position,
               event.timestamp, event.observed_at, "answered", event.answer._value_, None,
               event.standard_revision, event.expected_answer._value_, event.note, event.by, None)
        ANSWER_HISTORY.write(cur, row)
        if kept is not None:
            kept[event.review_id, event.standard_id] = row
    elif isinstance(event, Client.AnswerRated):
        last = kept.get((event.review_id, event.standard_id)) if kept is not None else None
        if kept is None or last is None:
            # One statement (no fetch): the write-behind cursor keeps it in the pipeline.
            cur.execute(RATED_SQL, (position, event.timestamp, event.rating.value, event.by,
                                    event.review_id, event.standard_id))
            return
        kept[event.review_id, event.standard_id] = rated = rated_row(
            last, position, event.timestamp, event.rating.value, event.by)
        ANSWER_HISTORY.write(cur, rated)
    elif isinstance(event, Client.ReviewStarted):
        cur.execute("INSERT INTO review_recorded (review_id, client_id, started_position,"
                    " started_recorded_at) VALUES (%s, %s, %s, %s)",
                    (event.review_id, event.originator_id, position, event.timestamp))
    elif isinstance(event, Client.ReviewSubmitted):
        cur.execute("UPDATE review_recorded SET submitted_recorded_at = %s WHERE review_id = %s",
                    (event.timestamp, event.review_id))
    elif isinstance(event, Client.ReviewCompleted):
        cur.execute("UPDATE review_recorded SET completed_position = %s, completed_recorded_at = %s"
                    " WHERE review_id = %s", (position, event.timestamp, event.review_id))
