"""Completed reviews stored as one line of short tokens, shaped for replaying them in bulk.

A completed review never changes again (answers and ratings need an open review), so when it
completes, its answers are written once as a vector: one token per answer,
``<standard number>.<revision answered>.<expected><answer><rating>`` with one-letter codes,
space-separated. Standards get small numbers (per projection) so a 300-answer review is a
~3 KB line. Replaying 1,000 reviews then reads 1,000 rows instead of 300,000, and counting
tokens by what they mean is done by C-level ``str.split`` and ``Counter``.
"""

from typing import Any

from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard

EXPECTED_CODES = {"yes": "y", "no": "n"}
ANSWER_CODES = {"yes": "y", "no": "n", "not_applicable": "x"}
RATING_CODES: dict[str | None, str] = {None: "-", "marginal": "m", "highly_vulnerable": "h"}


def answer_token(number: int, revision: int, expected: str, answer: str, rating: str | None) -> str:
    return (f"{number}.{revision}."
            f"{EXPECTED_CODES[expected]}{ANSWER_CODES[answer]}{RATING_CODES[rating]}")


def all_tokens(number: int, revision: int) -> list[tuple[str, str, str, str | None]]:
    """Every token an answer to this standard revision can have, with what it means."""
    return [(answer_token(number, revision, expected, answer, rating), expected, answer, rating)
            for expected in EXPECTED_CODES for answer in ANSWER_CODES for rating in RATING_CODES]


def create_vector_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE standard_numbers (
            standard_id uuid PRIMARY KEY, tenant text NOT NULL, number int NOT NULL UNIQUE)""")
    cur.execute("""
        CREATE TABLE review_vectors (
            review_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            seq int NOT NULL, completed_at timestamptz NOT NULL, items text NOT NULL)""")
    cur.execute("CREATE INDEX ON review_vectors (tenant, client_id, seq)")


#: A review's answers as they stand: the last history row of each (a rating is a row that
#: copies the answer; a new answer's row has none).
VECTOR_ITEMS_SQL = (
    "SELECT n.number, a.standard_revision, a.expected_answer, a.answer, a.rating FROM"
    " (SELECT DISTINCT ON (standard_id) standard_id, standard_revision, expected_answer, answer,"
    " rating FROM answer_history WHERE review_id = %s ORDER BY standard_id, position DESC) a"
    " JOIN standard_numbers n USING (standard_id) ORDER BY n.number")


def apply_vector_event(cur: Cursor[Any], event: Any) -> None:
    """Number each new standard; write each completed review's vector (after the review
    tables and the answer history have taken the event)."""
    if isinstance(event, Standard.StandardDrafted):
        cur.execute("INSERT INTO standard_numbers (standard_id, tenant, number)"
                    " SELECT %s, %s, coalesce(max(number), 0) + 1 FROM standard_numbers",
                    (event.originator_id, event.tenant))
    elif isinstance(event, Client.ReviewCompleted):
        cur.execute(VECTOR_ITEMS_SQL, (event.review_id,))
        items = " ".join(answer_token(*row) for row in cur.fetchall())
        cur.execute("INSERT INTO review_vectors (review_id, client_id, tenant, seq, completed_at,"
                    " items) SELECT review_id, client_id, tenant, seq, completed_at, %s"
                    " FROM reviews WHERE review_id = %s", (items, event.review_id))
