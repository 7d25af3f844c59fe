"""What a finalised review is scored on, read back from ``score_history``'s tables: the review's
own items and the client's scorecard right after it (the latest finalised answer to each
standard in force), each item as (category, priority, expected answer, answer, rating).

Both are read in one pass over the tenant's library. The scorecard's latest answer to a
standard is the finalised review's own answer whenever that review is the client's latest
finalised one (the usual case: reviews are finalised in turn); the earlier reviews are looked
up only for a standard it did not answer, or when an earlier-started review is finalised
after a later one. ``REVIEW_ITEMS_SQL`` and ``CARD_ITEMS_SQL`` read each on its own, as before,
for a review whose tenant is not the tenant it is finalised in (never in a log the aggregates
wrote).
"""

from typing import Any
from uuid import UUID

from psycopg import Cursor

from projections.review_tables import latest_answers_sql
from projections.scoring import ItemRow

#: The client's scorecard as scored values: the scorecard view's lookup with only the columns
#: scoring needs (its other nine cost more to fetch and decode than the scoring).
CARD_ITEMS_SQL = latest_answers_sql(
    "s.category, coalesce(rv.priority, s.priority),"
    " coalesce(latest.expected_answer, s.expected_answer), latest.answer, latest.rating",
    "a.answer, a.rating, a.standard_revision, a.expected_answer")

REVIEW_ITEMS_SQL = """
SELECT s.category, coalesce(rv.priority, s.priority), coalesce(a.expected_answer, s.expected_answer),
       a.answer, a.rating
FROM standards s
JOIN reviews r ON r.review_id = %(review)s
LEFT JOIN answers a ON a.review_id = r.review_id AND a.standard_id = s.standard_id
LEFT JOIN standard_revisions rv ON rv.standard_id = a.standard_id AND rv.revision = a.standard_revision
WHERE s.tenant = r.tenant
  AND (a.answer IS NOT NULL
       OR (s.status = 'published' AND (cardinality(r.categories) = 0 OR s.category = ANY(r.categories))))
"""

#: Per standard of the tenant: whether it is one of the review's items, then its item; whether
#: it is on the scorecard (in force), then its scorecard item. ``own``: the review's answer
#: is the latest finalised one (``me.latest``: no finalised review of the client comes after).
BOTH_ITEMS_SQL = """
WITH me AS MATERIALIZED (
    SELECT r.review_id, r.categories, r.client_id = %(client)s AND r.completed_at IS NOT NULL
           AND NOT EXISTS (SELECT FROM reviews later WHERE later.client_id = %(client)s
                           AND later.completed_at IS NOT NULL AND later.seq > r.seq) AS latest
    FROM reviews r WHERE r.review_id = %(review)s)
SELECT a.answer IS NOT NULL
       OR (s.status = 'published' AND (cardinality(me.categories) = 0 OR s.category = ANY(me.categories))),
       s.category, coalesce(rv.priority, s.priority), coalesce(a.expected_answer, s.expected_answer),
       a.answer, a.rating,
       s.status = 'published',
       CASE WHEN own.hit THEN coalesce(rv.priority, s.priority) ELSE coalesce(erv.priority, s.priority) END,
       CASE WHEN own.hit THEN coalesce(a.expected_answer, s.expected_answer)
            ELSE coalesce(earlier.expected_answer, s.expected_answer) END,
       CASE WHEN own.hit THEN a.answer ELSE earlier.answer END,
       CASE WHEN own.hit THEN a.rating ELSE earlier.rating END
FROM me
JOIN standards s ON s.tenant = %(tenant)s
LEFT JOIN answers a ON a.review_id = me.review_id AND a.standard_id = s.standard_id
LEFT JOIN standard_revisions rv ON rv.standard_id = a.standard_id AND rv.revision = a.standard_revision
CROSS JOIN LATERAL (SELECT me.latest AND a.answer IS NOT NULL AND a.client_id = %(client)s AS hit) own
LEFT JOIN LATERAL (
    SELECT ea.answer, ea.rating, ea.standard_revision, ea.expected_answer
    FROM answers ea JOIN reviews er ON er.review_id = ea.review_id AND er.client_id = %(client)s
    WHERE NOT own.hit AND s.status = 'published'
      AND ea.client_id = %(client)s AND ea.standard_id = s.standard_id AND er.completed_at IS NOT NULL
    ORDER BY er.seq DESC LIMIT 1) earlier ON true
LEFT JOIN standard_revisions erv
    ON erv.standard_id = s.standard_id AND erv.revision = earlier.standard_revision
"""


def scored_items(cur: Cursor[Any], review_id: UUID, client_id: UUID, tenant: str,
                 review_tenant: str) -> tuple[list[ItemRow], list[ItemRow]]:
    """The review's items and the client's scorecard items, once the review is finalised."""
    params = {"review": review_id, "client": client_id, "tenant": tenant}
    if review_tenant != tenant:
        cur.execute(REVIEW_ITEMS_SQL, params)
        items: list[ItemRow] = cur.fetchall()
        cur.execute(CARD_ITEMS_SQL, params)
        return items, cur.fetchall()
    cur.execute(BOTH_ITEMS_SQL, params)
    rows = cur.fetchall()
    return [row[1:6] for row in rows if row[0]], [(row[1], *row[7:]) for row in rows if row[6]]
