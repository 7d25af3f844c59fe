"""Tables that tell when a client's review areas fall due: each standard's category, review
frequency and status, and each review's scope and completion.

Due dates are per standard, from the client's latest finalised answer to it (the client
directory's ``AREAS_SQL`` and ``projections.client_areas`` read these tables with the answers).
"""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard
from events.vocabulary import ReviewFrequency

AREA_EVENTS = (Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
               Standard.StandardRetired, Client.ReviewStarted, Client.ReviewCompleted)
REVIEW_AREA_TOPICS = tuple(get_topic(cls) for cls in AREA_EVENTS)


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
    if not isinstance(event, AREA_EVENTS):  # one test for the answers that are most of the log
        return False
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
