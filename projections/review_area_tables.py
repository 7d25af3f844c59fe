"""Tables that tell when a client's review areas fall due: each standard's category and review
frequency, and each review's scope and completion.

A category's frequency is the shortest frequency among the tenant's published standards in it.
A completed review covers the categories it was started with (all categories when started
with none). An area is overdue when its last covering completed review is more than the
frequency's months old, or when no completed review has covered it yet.
"""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard
from events.vocabulary import ReviewFrequency

REVIEW_AREA_TOPICS = tuple(get_topic(cls) for cls in (
    Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
    Standard.StandardRetired, Client.ReviewStarted, Client.ReviewCompleted))


def create_review_area_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE standard_areas (
            standard_id uuid PRIMARY KEY, tenant text NOT NULL, category text NOT NULL,
            frequency_months int NOT NULL, status text NOT NULL)""")
    cur.execute("CREATE INDEX ON standard_areas (tenant, category)")
    cur.execute("""
        CREATE TABLE area_reviews (
            review_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            categories text[] NOT NULL, completed_at timestamptz)""")
    cur.execute("CREATE INDEX ON area_reviews (client_id, completed_at)")


def apply_review_area_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply a standard's or a review's event; False when the event is neither."""
    if isinstance(event, Standard.StandardDrafted):
        cur.execute("INSERT INTO standard_areas (standard_id, tenant, category, frequency_months,"
                    " status) VALUES (%s, %s, %s, %s, 'draft')",
                    (event.originator_id, event.tenant, event.category,
                     ReviewFrequency(event.review_frequency).months))
        return True
    if isinstance(event, Standard.StandardPublished):
        cur.execute("UPDATE standard_areas SET status = 'published' WHERE standard_id = %s",
                    (event.originator_id,))
        return True
    if isinstance(event, Standard.StandardRevised):
        if "category" in event.changes:
            cur.execute("UPDATE standard_areas SET category = %s WHERE standard_id = %s",
                        (str(event.changes["category"]), event.originator_id))
        if "review_frequency" in event.changes:
            months = ReviewFrequency(event.changes["review_frequency"]).months
            cur.execute("UPDATE standard_areas SET frequency_months = %s WHERE standard_id = %s",
                        (months, event.originator_id))
        return True
    if isinstance(event, Standard.StandardRetired):
        cur.execute("UPDATE standard_areas SET status = 'retired' WHERE standard_id = %s",
                    (event.originator_id,))
        return True
    if isinstance(event, Client.ReviewStarted):
        cur.execute("INSERT INTO area_reviews (review_id, client_id, tenant, categories)"
                    " VALUES (%s, %s, %s, %s)",
                    (event.review_id, event.originator_id, event.tenant, list(event.categories)))
        return True
    if isinstance(event, Client.ReviewCompleted):
        cur.execute("UPDATE area_reviews SET completed_at = %s WHERE review_id = %s",
                    (event.completed_at, event.review_id))
        return True
    return False


# Per client and category: the frequency, and when the area falls (or fell) due again.
AREAS_SQL = """
WITH areas AS (
    SELECT category, min(frequency_months) AS months FROM standard_areas
    WHERE tenant = %(tenant)s AND status = 'published' GROUP BY category)
SELECT c.client_id, c.name, c.vcio, a.category, a.months, last.completed_at,
       last.completed_at + make_interval(months => a.months)
FROM client_facts c CROSS JOIN areas a
LEFT JOIN LATERAL (
    SELECT max(r.completed_at) AS completed_at FROM area_reviews r
    WHERE r.client_id = c.client_id AND r.completed_at IS NOT NULL
      AND (cardinality(r.categories) = 0 OR a.category = ANY(r.categories))) last ON true
WHERE c.tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
ORDER BY c.name, c.client_id, a.category
"""
