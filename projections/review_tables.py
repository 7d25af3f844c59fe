"""Tables of clients, reviews and answers, kept by the read models that score reviews.

Answers are most of the log, so their upsert can also be written many rows at a time: given a
cursor with a ``hold(writer, row)`` method (the batch runner's write-behind cursor), a run of
answers is handed to the answers table's ``upsert`` as one statement; given a plain cursor,
each answer is written at once, as before. The answers table takes the shape the read model
reads (:mod:`projections.answer_tables`).

A review's stage is read from its columns: answering (``submitted_at`` NULL), submitted, and
finalised (``completed_at`` set; a version-1 ``ReviewCompleted`` from before the stages is a
finalisation too, so old reviews read as finalised). ``answers.sent_back`` holds the vCIO's
comment on an item sent back to the TAM, cleared when the TAM answers it again.
"""

from collections.abc import Sequence
from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from projections.answer_tables import FULL, AnswerRow, AnswerTable
from projections.review_batch import AnswerBuffer
from projections.write_behind import write_row

#: The events that change the answers table (and nothing else).
ANSWER_EVENTS = (Client.AnswerRecorded, Client.AnswerRated, Client.ReviewItemSentBack)
REVIEW_TOPICS = tuple(get_topic(cls) for cls in (
    Client.ClientOnboarded, Client.ClientProfileChanged, Client.ReviewStarted,
    Client.AnswerRecorded, Client.AnswerRated, Client.ReviewSubmitted, Client.ReviewItemSentBack,
    Client.ReviewCompleted))


def create_review_tables(cur: Cursor[Any], answers: AnswerTable | None = FULL) -> None:
    """The tables, with ``answers`` in the shape the read model reads (see
    :mod:`projections.answer_tables`); None leaves them out (a read model that keeps every
    answer in a history of its own)."""
    cur.execute("""
        CREATE TABLE clients (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, name text NOT NULL,
            vcio text NOT NULL, tam text NOT NULL, review_count int NOT NULL DEFAULT 0)""")
    cur.execute("CREATE INDEX ON clients (tenant, name)")
    cur.execute("""
        CREATE TABLE reviews (
            review_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            seq int NOT NULL, categories text[] NOT NULL, started_at timestamptz NOT NULL,
            started_by text NOT NULL, submitted_at timestamptz, submitted_by text,
            completed_at timestamptz, completed_by text, UNIQUE (client_id, seq))""")
    if answers is not None:
        answers.create(cur)


START_REVIEW = (
    "WITH counted AS (UPDATE clients SET review_count = review_count + 1 WHERE client_id = %s"
    " RETURNING review_count)"
    " INSERT INTO reviews (review_id, client_id, tenant, seq, categories, started_at, started_by)"
    " VALUES (%s, %s, %s, (SELECT review_count FROM counted), %s, %s, %s)")
RATE_ANSWER = "UPDATE answers SET rating = %s WHERE review_id = %s AND standard_id = %s"
RATE_ANSWERS = (
    "UPDATE answers a SET rating = r.rating"
    " FROM unnest(%b::text[], %b::uuid[], %b::uuid[]) AS r(rating, review_id, standard_id)"
    " WHERE a.review_id = r.review_id AND a.standard_id = r.standard_id")


def rate_answers(cur: Cursor[Any], rows: Sequence[AnswerRow]) -> None:
    """Set ratings, ``(rating, review_id, standard_id)`` in log order; the last one given to
    an answer wins, as it would one statement at a time."""
    if len(rows) == 1:
        cur.execute(RATE_ANSWER, rows[0])
        return
    latest = list({(row[1], row[2]): row for row in rows}.values())
    # Never a prepared (generic) plan: only with the arrays in hand does the planner see a
    # handful of rows and look them up by key instead of scanning every answer.
    cur.execute(RATE_ANSWERS, [list(column) for column in zip(*latest, strict=True)],
                prepare=False)


def apply_review_event(cur: Cursor[Any], event: Any, position: int,
                       buffer: AnswerBuffer | None = None, answers: AnswerTable = FULL) -> bool:
    """Apply a client or review event to tables with ``answers`` in that shape; returns False
    when the event is not one of those. With a ``buffer`` (rebuild mode, made by
    ``answers.buffer``), the answers of reviews started in this batch are kept there and
    inserted once (see :mod:`projections.review_batch`)."""
    if isinstance(event, Client.AnswerRecorded):  # first: most of the log
        row = answers.row(event, position)
        if buffer is None or not buffer.record(row):
            write_row(cur, answers.upsert, row, "answers")
        return True
    if isinstance(event, Client.ClientOnboarded):
        cur.execute("INSERT INTO clients (client_id, tenant, name, vcio, tam) VALUES (%s, %s, %s, %s, %s)",
                    (event.originator_id, event.tenant, event.name, event.vcio, event.tam))
        return True
    if isinstance(event, Client.ClientProfileChanged):
        for field in ("name", "vcio", "tam"):
            if field in event.changes:
                cur.execute(f"UPDATE clients SET {field} = %s WHERE client_id = %s",  # noqa: S608 - fixed names
                            (event.changes[field], event.originator_id))
        return True
    if isinstance(event, Client.ReviewStarted):
        # One statement, so nothing waits for its result; an unknown client leaves the
        # sequence number NULL, which the table refuses, as before.
        cur.execute(START_REVIEW, (event.originator_id, event.review_id, event.originator_id,
                                   event.tenant, list(event.categories), event.started_at,
                                   event.by))
        if buffer is not None:
            buffer.started(event.review_id)
        return True
    if isinstance(event, Client.AnswerRated):
        if not answers.rated:
            return True
        rating = event.rating.value
        if buffer is None or not buffer.set(event.review_id, event.standard_id, answers.rating,
                                            rating):
            write_row(cur, rate_answers, (rating, event.review_id, event.standard_id), "answers")
        return True
    if isinstance(event, Client.ReviewSubmitted):
        cur.execute("UPDATE reviews SET submitted_at = %s, submitted_by = %s WHERE review_id = %s",
                    (event.submitted_at, event.by, event.review_id))
        return True
    if isinstance(event, Client.ReviewItemSentBack):
        if not answers.sent_back or buffer is not None and buffer.set(
                event.review_id, event.standard_id, answers.sent_back_at, event.comment):
            return True
        cur.execute("UPDATE answers SET sent_back = %s WHERE review_id = %s AND standard_id = %s",
                    (event.comment, event.review_id, event.standard_id))
        return True
    if isinstance(event, Client.ReviewCompleted):
        if buffer is not None:
            buffer.write(cur, event.review_id)  # read back once the review is finalised
        cur.execute("UPDATE reviews SET completed_at = %s, completed_by = %s WHERE review_id = %s",
                    (event.completed_at, event.by, event.review_id))
        return True
    return False


def latest_answers_sql(columns: str, answer_columns: str, order_by: str = "") -> str:
    """A query of each standard in force for ``%(tenant)s`` (``s``) with ``%(client)s``'s
    latest finalised answer to it (``latest``: ``answer_columns`` of ``answers a`` and
    ``reviews r``) and the revision that answer was given under (``rv``), selecting
    ``columns``. The reviews are looked up by the client too: with statistics, a lookup by
    review id alone hash-joined every finalised review of the tenant for each standard.
    Fixed text only (no values)."""
    return ("SELECT " + columns + """
FROM standards s
LEFT JOIN LATERAL (
    SELECT """ + answer_columns + """
    FROM answers a JOIN reviews r ON r.review_id = a.review_id AND r.client_id = %(client)s
    WHERE a.client_id = %(client)s AND a.standard_id = s.standard_id AND r.completed_at IS NOT NULL
    ORDER BY r.seq DESC LIMIT 1) latest ON true
LEFT JOIN standard_revisions rv
    ON rv.standard_id = s.standard_id AND rv.revision = latest.standard_revision
WHERE s.tenant = %(tenant)s AND s.status = 'published'
""" + order_by)
