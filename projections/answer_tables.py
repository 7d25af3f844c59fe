"""The answers table of a read model that keeps the review tables, in the shape it reads.

Answers are most of the log, and each column of an answer row is formatted, sent, parsed and
stored once per answer by every read model that keeps it. ``client_alignment`` shows all of an
answer (its note, who gave it and when, the comment of an item sent back); ``score_history``
scores answers (the answer, its rating, the revision it was given under); the roadmap only asks
whether an answer was aligned. Each keeps the columns it reads and no more, so the events that
change only columns a shape leaves out (a rating, an item sent back) cost it nothing.

Every shape starts with ``review_id, standard_id, client_id`` (its key and the lookup by client
and standard); a changed answer replaces the row and clears its rating and sent-back comment.
"""

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from psycopg import Cursor
from psycopg.sql import SQL, Composable, Identifier

from projections.review_batch import AnswerBuffer
from projections.write_behind import RowsInserter, RowWriter

AnswerRow = tuple[Any, ...]
#: The column types of an answer row (the rating and the sent-back comment are ``text``).
TYPES = {"review_id": "uuid", "standard_id": "uuid", "client_id": "uuid", "tenant": "text",
         "standard_revision": "int", "expected_answer": "text", "answer": "text", "note": "text",
         "observed_at": "timestamptz", "answered_by": "text", "recorded_at": "timestamptz",
         "position": "bigint"}
KEY = ("review_id", "standard_id")
#: The lookup of a client's answers to a standard (readers', and scoring's while it builds),
#: named as PostgreSQL names it by default, so a rebuild can create it after its load.
CLIENT_INDEX = ("CREATE INDEX IF NOT EXISTS answers_client_id_standard_id_idx"
                " ON answers (client_id, standard_id)")
DROP_CLIENT_INDEX = "DROP INDEX answers_client_id_standard_id_idx"


def _names(columns: Sequence[str]) -> Composable:
    return SQL(", ").join(map(Identifier, columns))


class AnswerTable:
    """One shape of the answers table: the ``columns`` an answer row holds (made by
    ``row(event, position)``), then ``rating`` when ``rated`` and ``sent_back`` when
    ``sent_back``; ``ddl`` creates it."""

    def __init__(self, columns: tuple[str, ...], row: Callable[[Any, int], AnswerRow], ddl: str,
                 rated: bool, sent_back: bool) -> None:
        self.columns, self.row, self.ddl = columns, row, ddl
        self.rated, self.sent_back = rated, sent_back
        cleared = ("rating",) * rated + ("sent_back",) * sent_back
        self.rating = len(columns) if rated else -1  # where a kept row holds each
        self.sent_back_at = len(columns) + rated if sent_back else -1
        self.inserter = RowsInserter("answers", columns + cleared)
        self.blanks = len(cleared)
        updates = SQL(", ").join(
            [SQL("{0} = excluded.{0}").format(Identifier(c)) for c in columns if c not in KEY]
            + [SQL("{} = NULL").format(Identifier(c)) for c in cleared])
        on_conflict = SQL(" ON CONFLICT (review_id, standard_id) DO UPDATE SET {}").format(updates)
        self.upsert_one = SQL("INSERT INTO answers ({}) VALUES ({}){}").format(
            _names(columns), SQL(", ").join(SQL("%s") * len(columns)), on_conflict).as_string()
        self.upsert_many = SQL("INSERT INTO answers ({}) SELECT * FROM unnest({}){}").format(
            _names(columns), SQL(", ").join(SQL("%b::" + TYPES[c] + "[]") for c in columns),
            on_conflict).as_string()
        # One object for the table's life: the write-behind cursor tells runs apart by writer.
        self.upsert: RowWriter = self._upsert

    def create(self, cur: Cursor[Any]) -> None:
        cur.execute(self.ddl)
        self.finish(cur)

    def unindex(self, cur: Cursor[Any]) -> None:
        """Drop :data:`CLIENT_INDEX` from a table just created, still empty: a rebuild of a
        read model that never reads its answers back while it builds creates it again after
        its load, with :meth:`finish` (one sort instead of a random insert per answer)."""
        cur.execute(DROP_CLIENT_INDEX)

    def finish(self, cur: Cursor[Any]) -> None:
        cur.execute(CLIENT_INDEX)

    def buffer(self) -> AnswerBuffer:
        """What a batch of a rebuild keeps of this table (see :mod:`projections.review_batch`)."""
        return AnswerBuffer(self.inserter, self.blanks)

    def _upsert(self, cur: Cursor[Any], rows: Sequence[AnswerRow]) -> None:
        """Upsert answers in log order. Successive upserts of one (review, standard) leave
        what the last one wrote (it sets every column it touches), so only the last of each
        is sent: one statement may not update a row twice."""
        if len(rows) == 1:
            cur.execute(self.upsert_one, rows[0])
            return
        latest = list({(row[0], row[1]): row for row in rows}.values())
        cur.execute(self.upsert_many, [list(column) for column in zip(*latest, strict=True)])


def _full_row(event: Any, position: int) -> AnswerRow:
    # ``_value_``: an enum's plain attribute (``value`` is a descriptor, and this runs per answer)
    return (event.review_id, event.standard_id, event.originator_id, event.tenant,
            event.standard_revision, event.expected_answer._value_, event.answer._value_,
            event.note, event.observed_at, event.by, event.timestamp, position)


def _scored_row(event: Any, position: int) -> AnswerRow:
    return (event.review_id, event.standard_id, event.originator_id, event.standard_revision,
            event.expected_answer._value_, event.answer._value_)


def _aligned_row(event: Any, position: int) -> AnswerRow:
    return (event.review_id, event.standard_id, event.originator_id,
            event.expected_answer._value_, event.answer._value_)


#: Everything about an answer: what ``client_alignment`` (and the scorecard) show.
FULL = AnswerTable(
    ("review_id", "standard_id", "client_id", "tenant", "standard_revision", "expected_answer",
     "answer", "note", "observed_at", "answered_by", "recorded_at", "position"), _full_row, """
        CREATE TABLE answers (
            review_id uuid NOT NULL, standard_id uuid NOT NULL, client_id uuid NOT NULL,
            tenant text NOT NULL, standard_revision int NOT NULL, expected_answer text NOT NULL,
            answer text NOT NULL, rating text, note text NOT NULL, observed_at timestamptz NOT NULL,
            answered_by text NOT NULL, recorded_at timestamptz NOT NULL, position bigint NOT NULL,
            sent_back text, PRIMARY KEY (review_id, standard_id))""", rated=True, sent_back=True)
#: What scoring reads: the answer, its rating and the revision it was given under.
SCORED = AnswerTable(
    ("review_id", "standard_id", "client_id", "standard_revision", "expected_answer", "answer"),
    _scored_row, """
        CREATE TABLE answers (
            review_id uuid NOT NULL, standard_id uuid NOT NULL, client_id uuid NOT NULL,
            standard_revision int NOT NULL, expected_answer text NOT NULL, answer text NOT NULL,
            rating text, PRIMARY KEY (review_id, standard_id))""", rated=True, sent_back=False)
#: Whether an answer was aligned (the roadmap's findings resolved by a later review).
ALIGNED = AnswerTable(
    ("review_id", "standard_id", "client_id", "expected_answer", "answer"), _aligned_row, """
        CREATE TABLE answers (
            review_id uuid NOT NULL, standard_id uuid NOT NULL, client_id uuid NOT NULL,
            expected_answer text NOT NULL, answer text NOT NULL,
            PRIMARY KEY (review_id, standard_id))""", rated=False, sent_back=False)


class AnswersIndexedAfterLoad:
    """Mixed into a read model (before ``Projection``) whose build never reads its answers
    back by client: its rebuild creates ``answer_table`` without :data:`CLIENT_INDEX` and
    creates the index after the load (one sort instead of a random insert per answer)."""

    answer_table: ClassVar[AnswerTable]
    create_tables: Callable[[Cursor[Any]], None]

    def create_rebuild_tables(self, cur: Cursor[Any]) -> None:
        self.create_tables(cur)
        self.answer_table.unindex(cur)

    def finish_rebuild(self, cur: Cursor[Any]) -> None:
        self.answer_table.finish(cur)
