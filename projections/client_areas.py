"""Each client's review areas with when they fall due, kept as events arrive (not per request).

A standard falls due by its own review frequency from the client's latest finalised answer to
it; an area (a category) is due at the earliest due date of its published standards, or now
(``due_at`` NULL) when one of them was never answered in a finalised review. One row per
client and area, so a dashboard reads only the rows that are overdue instead of crossing every
client with every standard on each request.

A client's rows are computed again when it is onboarded and when one of its reviews is
finalised; a tenant's, when its library changes what is in an area (a standard published,
retired, moved to another category or given another frequency). Library changes come in
bursts (an import publishes hundreds), so inside a batch each tenant is computed once, when
the batch ends; outside a batch (a dead letter retried), at once.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from aggregates.standard import Standard
from projections.directory_tables import apply_answer_event, create_answer_tables
from projections.review_batch import AnswerBuffer

CLIENT_AREA_TOPICS = tuple(get_topic(cls) for cls in (Client.AnswerRecorded,))

CREATE_CLIENT_AREAS = """
    CREATE TABLE client_areas (
        client_id uuid NOT NULL, tenant text NOT NULL, category text NOT NULL,
        frequency_months int NOT NULL, last_answered_at timestamptz, due_at timestamptz,
        standards int NOT NULL, never_answered int NOT NULL,
        PRIMARY KEY (client_id, category))"""

AREAS_OF = """
INSERT INTO client_areas (client_id, tenant, category, frequency_months, last_answered_at, due_at,
                          standards, never_answered)
SELECT c.client_id, c.tenant, s.category, min(s.frequency_months), max(la.observed_at),
       CASE WHEN bool_or(la.observed_at IS NULL) THEN NULL
            ELSE min(la.observed_at + make_interval(months => s.frequency_months)) END,
       count(*), count(*) FILTER (WHERE la.observed_at IS NULL)
FROM client_facts c
JOIN standard_areas s ON s.tenant = c.tenant AND s.status = 'published'
LEFT JOIN standard_answers la ON la.client_id = c.client_id AND la.standard_id = s.standard_id
WHERE {} GROUP BY c.client_id, c.tenant, s.category"""
CLIENT_AREAS_SQL = ("DELETE FROM client_areas WHERE client_id = %(id)s",
                    AREAS_OF.format("c.client_id = %(id)s"))
TENANT_AREAS_SQL = ("DELETE FROM client_areas WHERE tenant = %(id)s",
                    AREAS_OF.format("c.tenant = %(id)s"))

LIBRARY_CHANGES = (Standard.StandardPublished, Standard.StandardRetired)
AREA_FIELDS = frozenset({"category", "review_frequency"})


@dataclass(frozen=True)
class OverdueArea:
    client_id: UUID
    client_name: str
    category: str
    frequency_months: int
    last_reviewed_at: datetime | None
    due_at: datetime | None



def create_client_area_tables(cur: Cursor[Any]) -> None:
    create_answer_tables(cur)
    cur.execute(CREATE_CLIENT_AREAS)
    cur.execute("CREATE INDEX ON client_areas (tenant, due_at)")


def recompute(cur: Cursor[Any], statements: tuple[str, str], key: Any) -> None:
    for statement in statements:
        cur.execute(statement, {"id": key})


def recompute_tenant(cur: Cursor[Any], tenant: str) -> None:
    recompute(cur, TENANT_AREAS_SQL, tenant)


def apply_client_area_event(cur: Cursor[Any], event: Any, dirty: set[str] | None,
                            buffer: AnswerBuffer | None = None) -> None:
    """Run after the tables this reads (client facts, standard areas) took ``event``;
    ``dirty`` collects the tenants to compute at the end of the batch (None: at once).
    ``buffer``: the pending answers kept in memory in rebuild mode (see
    :func:`~projections.directory_tables.apply_answer_event`)."""
    apply_answer_event(cur, event, buffer)
    if isinstance(event, Client.ClientOnboarded | Client.ReviewCompleted):
        recompute(cur, CLIENT_AREAS_SQL, event.originator_id)
    elif isinstance(event, LIBRARY_CHANGES) or (
            isinstance(event, Standard.StandardRevised) and AREA_FIELDS & event.changes.keys()):
        if dirty is None:
            recompute_tenant(cur, event.tenant)
        else:
            dirty.add(event.tenant)
