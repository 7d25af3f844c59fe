"""What the vCIO dashboard keeps per client as events arrive, so a read sums a few columns per
vCIO instead of counting each client's rows: its approved-project backlog (count and one-time
total) and its open action items, recomputed from the client's own rows whenever a
recommendation or action item of it changes; and the indexes the period queries of
``projections.vcio_dashboard_sql`` range over (by tenant and time, not client by client).

The touch target is not kept: it follows the MSP's cadence rules in force on the day asked, so
``touch_target_sql`` renders those rules into one SQL expression summed per vCIO.
"""

from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Composable, Identifier, Literal

from aggregates.cadence_rules import Conditions, PlanningRules, Range
from aggregates.client import Client

TOTALS_EVENTS = (
    Client.RecommendationProposed, Client.RecommendationPresented, Client.RecommendationApproved,
    Client.RecommendationDeclined, Client.RecommendationRescheduled, Client.RecommendationStarted,
    Client.RecommendationCompleted, Client.ActionItemAdded, Client.ActionItemUpdated,
    Client.ActionItemCompleted)

RECOMPUTE_TOTALS = """
INSERT INTO client_totals (client_id, tenant, backlog_count, backlog_one_time, open_action_items)
SELECT %(client)s, %(tenant)s,
  (SELECT count(*) FROM recommendations r WHERE r.client_id = %(client)s
     AND r.status IN ('approved', 'in_progress')),
  (SELECT coalesce(sum(r.one_time), 0) FROM recommendations r WHERE r.client_id = %(client)s
     AND r.status IN ('approved', 'in_progress')),
  (SELECT count(*) FROM action_items a WHERE a.client_id = %(client)s AND a.completed_at IS NULL)
ON CONFLICT (client_id) DO UPDATE SET backlog_count = excluded.backlog_count,
  backlog_one_time = excluded.backlog_one_time, open_action_items = excluded.open_action_items
"""


def create_totals_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_totals (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, backlog_count int NOT NULL,
            backlog_one_time numeric NOT NULL, open_action_items int NOT NULL)""")
    for statement in (
            "CREATE INDEX ON recommendations (client_id, status)",
            "CREATE INDEX ON recommendations (tenant, approved_at)",
            "CREATE INDEX ON action_items (client_id) WHERE completed_at IS NULL",
            "CREATE INDEX ON action_items (tenant, follow_up_on) WHERE completed_at IS NULL",
            "CREATE INDEX ON meetings (tenant, scheduled_for) WHERE status = 'planned'",
            "CREATE INDEX ON meetings (tenant, held_at) WHERE status = 'held'",
            "CREATE INDEX ON touches (tenant, happened_at) WHERE counts_toward_cadence",
            "CREATE INDEX ON area_reviews (completed_at)",
            "CREATE INDEX ON client_history (client_id, field, effective_on)",
            "CREATE INDEX ON client_history (tenant, field, client_id) WHERE effective_on IS NOT NULL"):
        cur.execute(statement)


def apply_totals_event(cur: Cursor[Any], event: Any) -> bool:
    """Recompute the client's totals after a recommendation or action item event (applied to
    its rows first); False for any other event."""
    if not isinstance(event, TOTALS_EVENTS):
        return False
    client: UUID = event.originator_id
    cur.execute(RECOMPUTE_TOTALS, {"client": client, "tenant": event.tenant})
    return True


def _holds(column: str, limit: Range | None) -> list[Composable]:
    if limit is None:
        return []
    found: list[Composable] = []
    if limit.min is not None:
        found.append(SQL("a.{} >= {}").format(Identifier(column), Literal(limit.min)))
    if limit.below is not None:
        found.append(SQL("a.{} < {}").format(Identifier(column), Literal(limit.below)))
    return found


def touch_target_sql(rules: PlanningRules) -> Composable:
    """A client's touches a month as ``projections.touch_cadence.target_touches_per_month``
    gives them, as SQL over ``a`` (the client's facts) and ``k`` (its cadence): the override,
    else the latest plan's, else the first of ``rules`` whose conditions hold."""
    return touch_target_of(touch_table(rules))


TouchTable = tuple[tuple[Conditions, int], ...]


def touch_table(rules: PlanningRules) -> TouchTable:
    """What of ``rules`` decides a client's touches: each rule's conditions and touches a month
    (hashable: the key of the statement rendered once per table)."""
    return tuple((rule.when, rule.touches_per_month) for rule in rules.cadence_rules)


def touch_target_of(table: TouchTable) -> Composable:
    branches: list[Composable] = []
    for when, touches_per_month in table:
        conditions = (_holds("mrr", when.mrr) + _holds("user_count", when.users)
                      + _holds("complexity", when.complexity))
        test = SQL(" AND ").join(conditions) if conditions else SQL("true")
        branches.append(SQL("WHEN {} THEN {}").format(test, Literal(touches_per_month)))
    return SQL("coalesce(k.override_touches_per_month, k.planned_touches_per_month,"
               " CASE {} END)").format(SQL(" ").join(branches))
