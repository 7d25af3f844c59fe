"""Tables of client facts, client cadences and recommendations, kept by the strategy read models.

Each read model keeps its own copy in its own schema (read models never join across each
other), so these helpers create and maintain the same shape wherever they are used. The client
facts are the few profile fields the strategy side needs: who the vCIO is, the MRR, the size
and complexity that set the default cadence, and the fiscal-year start that sets the quarters.
A client's cadence row holds the touches a month of its latest meeting plan (the MSP's rules,
or the override, as they stood when the plan was made) and of its current override, if any.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from aggregates.client import Client

CLIENT_FACT_TOPICS = tuple(get_topic(cls) for cls in (
    Client.ClientOnboarded, Client.ClientProfileChanged))

CLIENT_CADENCE_TOPICS = tuple(get_topic(cls) for cls in (
    Client.MeetingPlanScheduled, Client.ClientCadenceOverridden,
    Client.ClientCadenceOverrideCleared))

RECOMMENDATION_TOPICS = tuple(get_topic(cls) for cls in (
    Client.RecommendationProposed, Client.RecommendationPresented, Client.RecommendationApproved,
    Client.RecommendationDeclined, Client.RecommendationRescheduled, Client.RecommendationStarted,
    Client.RecommendationCompleted))

FACT_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name": str, "vcio": str, "mrr": Decimal, "user_count": int, "complexity": int,
    "fiscal_year_start_month": int}

# Statuses whose costs the MSP expects: approved ones are committed, proposed ones pending.
APPROVED_STATUSES = ("approved", "in_progress", "completed")
PENDING_STATUSES = ("proposed", "presented")
ALL_STATUSES = ("proposed", "presented", "approved", "declined", "in_progress", "completed")


def create_client_fact_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_facts (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, name text NOT NULL,
            vcio text NOT NULL, mrr numeric NOT NULL, user_count int NOT NULL,
            complexity int NOT NULL, fiscal_year_start_month int NOT NULL,
            onboarded_at timestamptz NOT NULL)""")
    cur.execute("CREATE INDEX ON client_facts (tenant, vcio)")


def apply_client_fact_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply a client onboarding or profile change; False when the event is neither."""
    if isinstance(event, Client.ClientOnboarded):
        cur.execute(
            "INSERT INTO client_facts (client_id, tenant, name, vcio, mrr, user_count, complexity,"
            " fiscal_year_start_month, onboarded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (event.originator_id, event.tenant, event.name, event.vcio, event.mrr, event.user_count,
             event.complexity, event.fiscal_year_start_month, event.timestamp))
        return True
    if isinstance(event, Client.ClientProfileChanged):
        for field, plain in FACT_FIELDS.items():
            if field in event.changes:
                cur.execute(SQL("UPDATE client_facts SET {} = %s WHERE client_id = %s").format(
                    Identifier(field)), (plain(str(event.changes[field])), event.originator_id))
        return True
    return False


def create_client_cadence_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_cadence (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, planned_year int,
            planned_touches_per_month int, override_touches_per_month int)""")


def apply_client_cadence_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply a meeting plan or a cadence override (set or cleared); False when the event is
    none of these. The plan of the latest year wins, whatever order the plans came in."""
    if isinstance(event, Client.MeetingPlanScheduled):
        cur.execute(
            "INSERT INTO client_cadence (client_id, tenant, planned_year, planned_touches_per_month)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (client_id) DO UPDATE"
            " SET planned_year = excluded.planned_year,"
            " planned_touches_per_month = excluded.planned_touches_per_month"
            " WHERE client_cadence.planned_year IS NULL"
            " OR client_cadence.planned_year <= excluded.planned_year",
            (event.originator_id, event.tenant, event.year, event.touches_per_month))
        return True
    if isinstance(event, Client.ClientCadenceOverridden):
        cur.execute(
            "INSERT INTO client_cadence (client_id, tenant, override_touches_per_month)"
            " VALUES (%s, %s, %s) ON CONFLICT (client_id) DO UPDATE"
            " SET override_touches_per_month = excluded.override_touches_per_month",
            (event.originator_id, event.tenant, event.touches_per_month))
        return True
    if isinstance(event, Client.ClientCadenceOverrideCleared):
        cur.execute("UPDATE client_cadence SET override_touches_per_month = NULL"
                    " WHERE client_id = %s", (event.originator_id,))
        return True
    return False


def create_recommendation_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE recommendations (
            recommendation_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            title text NOT NULL, business_impact text NOT NULL, source_review_id uuid,
            finding_standard_ids uuid[] NOT NULL, one_time numeric NOT NULL,
            recurring_monthly numeric NOT NULL, estimated_hours numeric NOT NULL,
            target_quarter_start date, priority text NOT NULL, owner text NOT NULL,
            capital_expense bool NOT NULL, status text NOT NULL, proposed_at timestamptz NOT NULL,
            presented_at timestamptz, approved_at timestamptz, approved_by uuid,
            declined_at timestamptz, declined_reason text, started_at timestamptz,
            completed_at timestamptz, times_rescheduled int NOT NULL DEFAULT 0,
            reschedule_reason text)""")
    cur.execute("CREATE INDEX ON recommendations (tenant, client_id, target_quarter_start)")


def apply_recommendation_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply a recommendation's event; False when the event is not about recommendations."""
    if isinstance(event, Client.RecommendationProposed):
        cur.execute(
            "INSERT INTO recommendations (recommendation_id, client_id, tenant, title,"
            " business_impact, source_review_id, finding_standard_ids, one_time, recurring_monthly,"
            " estimated_hours, target_quarter_start, priority, owner, capital_expense, status,"
            " proposed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " 'proposed', %s)",
            (event.recommendation_id, event.originator_id, event.tenant, event.title,
             event.business_impact, event.source_review_id, list(event.finding_standard_ids),
             event.one_time_budget, event.recurring_monthly_budget, event.estimated_hours,
             event.target_quarter_start, event.priority.value, event.owner, event.capital_expense,
             event.timestamp))
        return True
    if isinstance(event, Client.RecommendationPresented):
        cur.execute(
            "UPDATE recommendations SET presented_at = coalesce(presented_at, %s),"
            " status = CASE WHEN status = 'proposed' THEN 'presented' ELSE status END"
            " WHERE recommendation_id = %s", (event.timestamp, event.recommendation_id))
        return True
    if isinstance(event, Client.RecommendationApproved):
        cur.execute("UPDATE recommendations SET status = 'approved', approved_at = %s,"
                    " approved_by = %s WHERE recommendation_id = %s",
                    (event.approved_at, event.decision_maker_id, event.recommendation_id))
        return True
    if isinstance(event, Client.RecommendationDeclined):
        cur.execute("UPDATE recommendations SET status = 'declined', declined_at = %s,"
                    " declined_reason = %s WHERE recommendation_id = %s",
                    (event.timestamp, event.reason, event.recommendation_id))
        return True
    if isinstance(event, Client.RecommendationRescheduled):
        cur.execute("UPDATE recommendations SET target_quarter_start = %s,"
                    " times_rescheduled = times_rescheduled + 1, reschedule_reason = %s"
                    " WHERE recommendation_id = %s",
                    (event.target_quarter_start, event.reason, event.recommendation_id))
        return True
    if isinstance(event, Client.RecommendationStarted):
        cur.execute("UPDATE recommendations SET status = 'in_progress', started_at = %s"
                    " WHERE recommendation_id = %s", (event.started_at, event.recommendation_id))
        return True
    if isinstance(event, Client.RecommendationCompleted):
        cur.execute("UPDATE recommendations SET status = 'completed', completed_at = %s"
                    " WHERE recommendation_id = %s", (event.completed_at, event.recommendation_id))
        return True
    return False
