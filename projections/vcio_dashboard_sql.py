"""The vCIO dashboard's queries, per request: each active client's figures (looked up by
(tenant, client) through the tables' indexes), turnover, and the clients offboarded by today.
"""

from projections.lifecycle_tables import ACTIVE_ON_TODAY

PER_CLIENT_SQL = """
WITH c AS (
    SELECT *, make_date(extract(year FROM %(today_date)s::date)::int
                        - CASE WHEN extract(month FROM %(today_date)s::date) < fiscal_year_start_month
                          THEN 1 ELSE 0 END, fiscal_year_start_month, 1) AS fiscal_year_start
    FROM client_facts c WHERE tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR vcio = %(vcio)s)
      AND """ + ACTIVE_ON_TODAY + """)
SELECT c.client_id,
  (SELECT count(*) FROM meetings m
     WHERE m.tenant = c.tenant AND m.client_id = c.client_id AND m.status = 'planned'
     AND m.scheduled_for >= %(today)s
     AND m.scheduled_for < %(today)s::timestamptz + interval '12 months'),
  (SELECT count(*) FROM meetings m
     WHERE m.tenant = c.tenant AND m.client_id = c.client_id AND m.status = 'held'
     AND m.held_at >= %(start)s AND m.held_at < %(end)s),
  (SELECT count(*) FROM touches t
     WHERE t.tenant = c.tenant AND t.client_id = c.client_id AND t.counts_toward_cadence
     AND t.happened_at >= %(start)s AND t.happened_at < %(end)s),
  (SELECT coalesce(sum(r.one_time), 0) FROM recommendations r
     WHERE r.tenant = c.tenant AND r.client_id = c.client_id
     AND r.approved_at >= %(start)s AND r.approved_at < %(end)s),
  (SELECT count(*) FROM recommendations r
     WHERE r.tenant = c.tenant AND r.client_id = c.client_id
     AND r.status IN ('approved', 'in_progress')),
  (SELECT coalesce(sum(r.one_time), 0) FROM recommendations r
     WHERE r.tenant = c.tenant AND r.client_id = c.client_id
     AND r.status IN ('approved', 'in_progress')),
  (SELECT count(*) FROM area_reviews v WHERE v.client_id = c.client_id
     AND v.completed_at >= %(start)s AND v.completed_at < %(end)s),
  (SELECT count(*) FROM recommendations r
     WHERE r.tenant = c.tenant AND r.client_id = c.client_id
     AND r.status IN ('approved', 'in_progress', 'completed')
     AND r.target_quarter_start >= c.fiscal_year_start + interval '12 months'
     AND r.target_quarter_start < c.fiscal_year_start + interval '24 months'),
  (SELECT count(*) FROM action_items a
     WHERE a.tenant = c.tenant AND a.client_id = c.client_id AND a.completed_at IS NULL),
  (SELECT count(*) FROM action_items a
     WHERE a.tenant = c.tenant AND a.client_id = c.client_id AND a.completed_at IS NULL
     AND a.follow_up_on < %(today_date)s),
  c.vcio, c.mrr, c.user_count, c.complexity, k.planned_touches_per_month,
  k.override_touches_per_month
FROM c LEFT JOIN client_cadence k ON k.client_id = c.client_id
"""


TURNOVER_SQL = """
SELECT o.vcio, o.mrr FROM offboardings o
WHERE o.tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR o.vcio = %(vcio)s)
  AND o.effective_on >= %(start_date)s AND o.effective_on < %(end_date)s
"""

# Held meetings and touches in the period, by client and the vCIO in charge on their day
# (the onboarding's vCIO holds from the beginning: its ``effective_on`` is NULL).
DONE_BY_SQL = """
WITH done AS (
    SELECT client_id, held_at AS at, 1 AS held, 0 AS touched FROM meetings
    WHERE tenant = %(tenant)s AND status = 'held' AND held_at >= %(start)s AND held_at < %(end)s
    UNION ALL
    SELECT client_id, happened_at, 0, 1 FROM touches
    WHERE tenant = %(tenant)s AND counts_toward_cadence
      AND happened_at >= %(start)s AND happened_at < %(end)s)
SELECT d.client_id,
       (SELECT h.value FROM client_history h WHERE h.client_id = d.client_id AND h.field = 'vcio'
          AND (h.effective_on IS NULL OR h.effective_on <= (d.at AT TIME ZONE 'UTC')::date)
        ORDER BY h.effective_on DESC NULLS LAST, h.position DESC LIMIT 1) AS vcio_then,
       sum(d.held), sum(d.touched)
FROM done d GROUP BY 1, 2
"""

OFFBOARDED_SQL = """
SELECT client_id FROM client_lifecycle WHERE tenant = %(tenant)s
  AND offboarded_on <= %(today_date)s
"""
