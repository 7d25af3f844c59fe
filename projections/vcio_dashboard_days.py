"""The vCIO dashboard's day buckets: what each vCIO had on each day, kept as events arrive, so
a read sums a row per (vCIO, day) instead of ranging over every client's meetings, touches,
approvals, reviews, action items and review areas.

``vcio_days`` holds, per tenant, vCIO, owner (the client's vCIO now), day and the day the
client leaves (``gone_on``: its offboarding's effective day, 9999-12-31 while it stays):
meetings held and touches (for the vCIO in charge of the client on their day), one-time
budgets approved, reviews completed, meetings planned (by day scheduled), open action items
(by follow-up day) and review areas (by the day they fall due; 0001-01-01 for an area never
answered), these for the client's vCIO now. Days are UTC days, as the dashboard's periods are.

``client_days`` keeps what each client put into the buckets. At the end of a batch each client
the batch touched (every client of a tenant whose library changed) takes its rows back out of
the buckets and puts in what its rows say now, so a reassignment moves its counts to the new
vCIO (those of its days from the reassignment's effective day on, for meetings held and
touches), and an offboarding moves them under its ``gone_on``. Recomputing from the client's
own rows makes this idempotent: a batch redone event by event after a failure recomputes the
same clients again to the same result.
"""

from collections.abc import Collection
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL, Composable, Composed, Identifier

FIGURES = ("held", "touches", "approved", "reviews", "planned", "late_items", "late_areas")
KEY = ("tenant", "vcio", "owner", "day", "gone_on")
ALL_ZERO = SQL(" AND ").join(SQL("{} = 0").format(Identifier(f)) for f in FIGURES)
# A bucket emptied by a take-out is dropped: the buckets are then the same whether built
# event by event or in one rebuild. The partial index holds only such buckets.
DROP_EMPTIED_SQL = SQL("DELETE FROM vcio_days WHERE {}").format(ALL_ZERO)


def create_days_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_days (
            client_id uuid NOT NULL, tenant text NOT NULL, vcio text NOT NULL, owner text NOT NULL,
            day date NOT NULL, gone_on date NOT NULL, held int NOT NULL, touches int NOT NULL,
            approved numeric NOT NULL, reviews int NOT NULL, planned int NOT NULL,
            late_items int NOT NULL, late_areas int NOT NULL)""")
    cur.execute("CREATE INDEX ON client_days (client_id)")
    cur.execute("CREATE INDEX ON client_days (tenant)")
    cur.execute("""
        CREATE TABLE vcio_days (
            tenant text NOT NULL, vcio text NOT NULL, owner text NOT NULL, day date NOT NULL,
            gone_on date NOT NULL, held int NOT NULL, touches int NOT NULL,
            approved numeric NOT NULL, reviews int NOT NULL, planned int NOT NULL,
            late_items int NOT NULL, late_areas int NOT NULL,
            PRIMARY KEY (tenant, vcio, owner, day, gone_on))""")
    cur.execute("CREATE INDEX ON vcio_days (tenant, day)")
    cur.execute(SQL("CREATE INDEX vcio_days_emptied ON vcio_days (tenant) WHERE {}").format(ALL_ZERO))



def _columns(names: tuple[str, ...], template: str = "{}") -> Composable:
    return SQL(", ").join(SQL(template).format(Identifier(n)) for n in names)


SUMS = _columns(FIGURES, "sum({})")


def _into_buckets(sums: Composable, rows: str) -> Composed:
    """Add ``rows`` (a CTE with the bucket key and figures), summed per bucket, to the buckets."""
    return SQL("INSERT INTO vcio_days ({}, {}) SELECT {}, {} FROM {} GROUP BY {} "
               "ON CONFLICT ({}) DO UPDATE SET {}").format(
        _columns(KEY), _columns(FIGURES), _columns(KEY), sums, Identifier(rows), _columns(KEY),
        _columns(KEY), SQL(", ").join(SQL("{0} = vcio_days.{0} + excluded.{0}").format(
            Identifier(f)) for f in FIGURES))


SCOPE = "(client_id = ANY(%(clients)s) OR tenant = ANY(%(tenants)s))"

TAKE_OUT_SQL = SQL("WITH old AS (DELETE FROM client_days WHERE " + SCOPE + " RETURNING *) {}").format(
    _into_buckets(_columns(FIGURES, "-sum({})"), "old"))


# The vCIO of a day: the latest dated value of the client's ``vcio`` in force on it (the
# onboarding's has no date and holds from the beginning), else the client's vCIO now.
PUT_IN = """
WITH c AS MATERIALIZED (
    SELECT f.client_id, f.tenant, f.vcio AS owner,
      coalesce(l.offboarded_on, '9999-12-31'::date) AS gone_on
    FROM client_facts f LEFT JOIN client_lifecycle l USING (client_id)
    WHERE f.client_id = ANY(%(clients)s) OR f.tenant = ANY(%(tenants)s)),
done AS (
    SELECT m.client_id, (m.held_at AT TIME ZONE 'UTC')::date AS day, 1 AS held, 0 AS touches
    FROM meetings m JOIN c ON m.tenant = c.tenant AND m.client_id = c.client_id
    WHERE m.status = 'held' AND m.held_at IS NOT NULL
    UNION ALL
    SELECT t.client_id, (t.happened_at AT TIME ZONE 'UTC')::date, 0, 1
    FROM touches t JOIN c ON t.tenant = c.tenant AND t.client_id = c.client_id
    WHERE t.counts_toward_cadence),
parts (client_id, tenant, vcio, owner, day, gone_on, held, touches, approved, reviews, planned,
       late_items, late_areas) AS (
    SELECT c.client_id, c.tenant,
      coalesce((SELECT h.value FROM client_history h
                WHERE h.client_id = d.client_id AND h.field = 'vcio'
                  AND (h.effective_on IS NULL OR h.effective_on <= d.day)
                ORDER BY h.effective_on DESC NULLS LAST, h.position DESC LIMIT 1), c.owner),
      c.owner, d.day, c.gone_on, d.held, d.touches, 0::numeric, 0, 0, 0, 0
    FROM done d JOIN c USING (client_id)
    UNION ALL
    SELECT c.client_id, c.tenant, c.owner, c.owner, (r.approved_at AT TIME ZONE 'UTC')::date,
      c.gone_on, 0, 0, r.one_time, 0, 0, 0, 0
    FROM recommendations r JOIN c ON r.tenant = c.tenant AND r.client_id = c.client_id
    WHERE r.approved_at IS NOT NULL
    UNION ALL
    SELECT c.client_id, c.tenant, c.owner, c.owner, (v.completed_at AT TIME ZONE 'UTC')::date,
      c.gone_on, 0, 0, 0::numeric, 1, 0, 0, 0
    FROM area_reviews v JOIN c ON v.tenant = c.tenant AND v.client_id = c.client_id
    WHERE v.completed_at IS NOT NULL
    UNION ALL
    SELECT c.client_id, c.tenant, c.owner, c.owner, (m.scheduled_for AT TIME ZONE 'UTC')::date,
      c.gone_on, 0, 0, 0::numeric, 0, 1, 0, 0
    FROM meetings m JOIN c ON m.tenant = c.tenant AND m.client_id = c.client_id
    WHERE m.status = 'planned'
    UNION ALL
    SELECT c.client_id, c.tenant, c.owner, c.owner, i.follow_up_on, c.gone_on,
      0, 0, 0::numeric, 0, 0, 1, 0
    FROM action_items i JOIN c ON i.tenant = c.tenant AND i.client_id = c.client_id
    WHERE i.completed_at IS NULL
    UNION ALL
    SELECT c.client_id, c.tenant, c.owner, c.owner,
      coalesce((x.due_at AT TIME ZONE 'UTC')::date, '0001-01-01'::date), c.gone_on,
      0, 0, 0::numeric, 0, 0, 0, 1
    FROM client_areas x JOIN c ON x.tenant = c.tenant AND x.client_id = c.client_id),
new AS (
    INSERT INTO client_days (client_id, {key}, {figures})
    SELECT client_id, {key}, {sums} FROM parts GROUP BY client_id, {key}
    RETURNING *)
{into_buckets}"""


PUT_IN_SQL = SQL(PUT_IN).format(key=_columns(KEY), figures=_columns(FIGURES), sums=SUMS,
                                into_buckets=_into_buckets(SUMS, "new"))


def recompute_days(cur: Cursor[Any], clients: Collection[UUID], tenants: Collection[str] = ()) -> None:
    """Take ``clients``' (and every client of ``tenants``') rows out of the buckets and put in
    what their rows say now."""
    if not clients and not tenants:
        return
    params = {"clients": sorted(clients), "tenants": sorted(tenants)}
    cur.execute(TAKE_OUT_SQL, params)
    cur.execute(PUT_IN_SQL, params)
    cur.execute(DROP_EMPTIED_SQL)
