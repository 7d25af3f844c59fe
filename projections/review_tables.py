"""Tables of clients, reviews and answers, kept by the read models that score reviews."""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client

REVIEW_TOPICS = tuple(get_topic(cls) for cls in (
    Client.ClientOnboarded, Client.ClientProfileChanged, Client.ReviewStarted,
    Client.AnswerRecorded, Client.AnswerRated, Client.ReviewCompleted))


def create_review_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE clients (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, name text NOT NULL,
            vcio text NOT NULL, tam text NOT NULL, review_count int NOT NULL DEFAULT 0)""")
    cur.execute("CREATE INDEX ON clients (tenant, name)")
    cur.execute("""
        CREATE TABLE reviews (
            review_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            seq int NOT NULL, categories text[] NOT NULL, started_at timestamptz NOT NULL,
            started_by text NOT NULL, completed_at timestamptz, completed_by text,
            UNIQUE (client_id, seq))""")
    cur.execute("""
        CREATE TABLE answers (
            review_id uuid NOT NULL, standard_id uuid NOT NULL, client_id uuid NOT NULL,
            tenant text NOT NULL, standard_revision int NOT NULL, expected_answer text NOT NULL,
            answer text NOT NULL, rating text, note text NOT NULL, observed_at timestamptz NOT NULL,
            answered_by text NOT NULL, recorded_at timestamptz NOT NULL, position bigint NOT NULL,
            PRIMARY KEY (review_id, standard_id))""")
    cur.execute("CREATE INDEX ON answers (client_id, standard_id)")


def apply_review_event(cur: Cursor[Any], event: Any, position: int) -> bool:
    """Apply a client or review event; returns False when the event is not one of those."""
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
        cur.execute("UPDATE clients SET review_count = review_count + 1 WHERE client_id = %s"
                    " RETURNING review_count", (event.originator_id,))
        seq = cur.fetchone()[0]
        cur.execute("INSERT INTO reviews (review_id, client_id, tenant, seq, categories, started_at,"
                    " started_by) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (event.review_id, event.originator_id, event.tenant, seq, list(event.categories),
                     event.started_at, event.by))
        return True
    if isinstance(event, Client.AnswerRecorded):
        cur.execute(
            "INSERT INTO answers (review_id, standard_id, client_id, tenant, standard_revision,"
            " expected_answer, answer, rating, note, observed_at, answered_by, recorded_at, position)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, %s, %s, %s, %s)"
            " ON CONFLICT (review_id, standard_id) DO UPDATE SET"
            " standard_revision = excluded.standard_revision, expected_answer = excluded.expected_answer,"
            " answer = excluded.answer, rating = NULL, note = excluded.note,"
            " observed_at = excluded.observed_at, answered_by = excluded.answered_by,"
            " recorded_at = excluded.recorded_at, position = excluded.position",
            (event.review_id, event.standard_id, event.originator_id, event.tenant,
             event.standard_revision, event.expected_answer.value, event.answer.value, event.note,
             event.observed_at, event.by, event.timestamp, position))
        return True
    if isinstance(event, Client.AnswerRated):
        cur.execute("UPDATE answers SET rating = %s WHERE review_id = %s AND standard_id = %s",
                    (event.rating.value, event.review_id, event.standard_id))
        return True
    if isinstance(event, Client.ReviewCompleted):
        cur.execute("UPDATE reviews SET completed_at = %s, completed_by = %s WHERE review_id = %s",
                    (event.completed_at, event.by, event.review_id))
        return True
    return False
