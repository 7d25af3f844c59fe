"""Tables of standards and their revisions, kept by every read model that must judge answers.

Each projection keeps its own copy in its own schema (read models never join across each
other), so these helpers create and maintain the same shape wherever they are used.
"""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.types.json import Jsonb

from aggregates.standard import Standard

STANDARD_TOPICS = tuple(get_topic(cls) for cls in (
    Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
    Standard.StandardRetired))

TEXT_FIELDS = ("category", "question", "expected_answer", "how_to_check", "why_it_matters",
               "priority", "review_frequency", "authority_references")


def create_library_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE standards (
            standard_id uuid PRIMARY KEY, tenant text NOT NULL, key text NOT NULL,
            status text NOT NULL, revision int NOT NULL, category text NOT NULL,
            question text NOT NULL, expected_answer text NOT NULL, how_to_check text NOT NULL,
            why_it_matters text NOT NULL, priority text NOT NULL, review_frequency text NOT NULL,
            authority_references jsonb NOT NULL, replaced_by uuid, retired_reason text,
            drafted_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""")
    cur.execute("CREATE INDEX ON standards (tenant, category, key)")
    cur.execute("""
        CREATE TABLE standard_revisions (
            standard_id uuid NOT NULL, revision int NOT NULL, tenant text NOT NULL,
            category text NOT NULL, question text NOT NULL, expected_answer text NOT NULL,
            how_to_check text NOT NULL, why_it_matters text NOT NULL, priority text NOT NULL,
            review_frequency text NOT NULL, authority_references jsonb NOT NULL,
            changes jsonb NOT NULL, reason text NOT NULL, meaning_changed bool NOT NULL,
            decided_by text NOT NULL, recorded_at timestamptz NOT NULL, position bigint NOT NULL,
            PRIMARY KEY (standard_id, revision))""")

LIBRARY_EVENTS = (Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
                  Standard.StandardRetired)


def apply_library_event(cur: Cursor[Any], event: Any, position: int) -> bool:
    """Apply a standard's event; returns False when the event is not about standards."""
    if not isinstance(event, LIBRARY_EVENTS):  # one test for the answers that are most of the log
        return False
    if isinstance(event, Standard.StandardDrafted):
        values = [getattr(event, f) for f in TEXT_FIELDS]
        values = [v.value if hasattr(v, "value") else v for v in values]
        values[-1] = Jsonb(list(values[-1]))
        cur.execute(
            "INSERT INTO standards (standard_id, tenant, key, status, revision, category, question,"
            " expected_answer, how_to_check, why_it_matters, priority, review_frequency,"
            " authority_references, drafted_at, updated_at)"
            " VALUES (%s, %s, %s, 'draft', 1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (event.originator_id, event.tenant, event.key, *values, event.timestamp, event.timestamp))
        cur.execute(
            "INSERT INTO standard_revisions (standard_id, revision, tenant, category, question,"
            " expected_answer, how_to_check, why_it_matters, priority, review_frequency,"
            " authority_references, changes, reason, meaning_changed, decided_by, recorded_at, position)"
            " VALUES (%s, 1, %s, %s, %s, %s, %s, %s, %s, %s, %s, '{}', 'drafted', true, %s, %s, %s)",
            (event.originator_id, event.tenant, *values, event.by, event.timestamp, position))
        return True
    if isinstance(event, Standard.StandardPublished):
        cur.execute("UPDATE standards SET status = 'published', updated_at = %s WHERE standard_id = %s",
                    (event.timestamp, event.originator_id))
        return True
    if isinstance(event, Standard.StandardRevised):
        assignments = {name: value for name, value in event.changes.items() if name in TEXT_FIELDS}
        if "authority_references" in assignments:
            assignments["authority_references"] = Jsonb(list(assignments["authority_references"]))
        cur.execute("SELECT " + ", ".join(TEXT_FIELDS) + " FROM standards WHERE standard_id = %s",
                    (event.originator_id,))
        row = cur.fetchone()
        if row is None:
            raise LookupError(f"revision of unknown standard {event.originator_id}")
        current = dict(zip(TEXT_FIELDS, row, strict=True))
        current["authority_references"] = Jsonb(current["authority_references"])
        current.update(assignments)
        values = [current[f] for f in TEXT_FIELDS]
        cur.execute(
            "UPDATE standards SET revision = %s, category = %s, question = %s, expected_answer = %s,"
            " how_to_check = %s, why_it_matters = %s, priority = %s, review_frequency = %s,"
            " authority_references = %s, updated_at = %s WHERE standard_id = %s",
            (event.revision, *values, event.timestamp, event.originator_id))
        cur.execute(
            "INSERT INTO standard_revisions (standard_id, revision, tenant, category, question,"
            " expected_answer, how_to_check, why_it_matters, priority, review_frequency,"
            " authority_references, changes, reason, meaning_changed, decided_by, recorded_at, position)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (event.originator_id, event.revision, event.tenant, *values, Jsonb(event.changes),
             event.reason, event.meaning_changed, event.by, event.timestamp, position))
        return True
    if isinstance(event, Standard.StandardRetired):
        cur.execute("UPDATE standards SET status = 'retired', replaced_by = %s, retired_reason = %s,"
                    " updated_at = %s WHERE standard_id = %s",
                    (event.replaced_by, event.reason, event.timestamp, event.originator_id))
        return True
    return False
