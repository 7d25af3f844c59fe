"""The vCIO dashboard's queries, per request: one row per vCIO, summed inside PostgreSQL.

``PER_VCIO_SQL`` reads each active client's kept totals (``client_totals``) and facts once, and
the vCIOs' day buckets (``vcio_days``) of the period and before ``today`` (meetings held,
touches, approvals, reviews, meetings ahead, overdue items and areas), so the activity it reads
grows with vCIOs and days, not with clients; only clients whose MRR changed are read one by
one. ``{touch_target}`` is the rendered cadence rules
(``projections.vcio_dashboard_totals.touch_target_sql``).
"""

from functools import lru_cache

from psycopg.sql import SQL

from aggregates.cadence_rules import PlanningRules
from projections.lifecycle_tables import ACTIVE_ON_TODAY
from projections.vcio_dashboard_totals import TouchTable, touch_table, touch_target_of

ACTIVE = """
active AS NOT MATERIALIZED (
    SELECT c.client_id, c.vcio, c.mrr, c.user_count, c.complexity,
      make_date(extract(year FROM %(today_date)s::date)::int
                - CASE WHEN extract(month FROM %(today_date)s::date) < c.fiscal_year_start_month
                  THEN 1 ELSE 0 END, c.fiscal_year_start_month, 1) AS fiscal_year_start
    FROM client_facts c WHERE c.tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
      AND """ + ACTIVE_ON_TODAY + ")"

# MRR over the period: a client whose MRR never changed (its onboarding's is its only value)
# has had it all along, summed per vCIO as ``steady_mrr``; the few that changed (``changed``,
# through an index of dated values) are read value by value (``CHANGED_MRR_SQL``) for
# ``client_history_tables.over_period``.
CHANGED = """
changed AS (SELECT DISTINCT client_id FROM client_history
    WHERE tenant = %(tenant)s AND field = 'mrr' AND effective_on IS NOT NULL)"""

# The period's figures and those anchored on ``today`` sum the vCIO's day buckets
# (``projections.vcio_dashboard_days``): meetings held and touches stay with the vCIO in charge
# of the client on their day; with ``vcio`` asked, the work its clients had done by someone else
# is not its own, nor the work it did for clients it no longer has.
PER_VCIO_SQL = SQL("WITH " + ACTIVE + """,
""" + CHANGED + """,
profile AS (
    SELECT a.vcio, count(*) AS clients, sum(a.mrr) AS mrr, sum({touch_target}) AS touch_target,
      sum(coalesce(t.backlog_count, 0)) AS backlog_count,
      sum(coalesce(t.backlog_one_time, 0)) AS backlog_one_time,
      sum(coalesce(t.open_action_items, 0)) AS open_items,
      sum(a.mrr) FILTER (WHERE ch.client_id IS NULL) AS steady_mrr,
      count(ch.client_id) AS changed
    FROM active a LEFT JOIN client_cadence k ON k.client_id = a.client_id
      LEFT JOIN client_totals t ON t.client_id = a.client_id
      LEFT JOIN changed ch ON ch.client_id = a.client_id
    GROUP BY a.vcio),
days AS NOT MATERIALIZED (
    SELECT * FROM vcio_days WHERE tenant = %(tenant)s AND gone_on > %(today_date)s
      AND (%(vcio)s::text IS NULL OR (vcio = %(vcio)s AND owner = %(vcio)s))),
in_period AS (
    SELECT vcio, sum(held) AS held, sum(touches) AS touched, sum(approved) AS amount,
      sum(reviews) AS reviews
    FROM days WHERE day >= %(start_date)s AND day < %(end_date)s GROUP BY vcio),
ahead AS (
    SELECT vcio, sum(planned) AS n FROM days
    WHERE day >= %(today_date)s AND day < %(today_date)s::date + interval '12 months' GROUP BY vcio),
late AS (
    SELECT vcio, sum(late_items) AS items, sum(late_areas) AS areas FROM days
    WHERE day < %(today_date)s GROUP BY vcio),
budgeted AS (
    SELECT a.vcio, count(DISTINCT a.client_id) AS n FROM recommendations r
    JOIN active a ON a.client_id = r.client_id
    WHERE r.tenant = %(tenant)s AND r.status IN ('approved', 'in_progress', 'completed')
      AND r.target_quarter_start >= a.fiscal_year_start + interval '12 months'
      AND r.target_quarter_start < a.fiscal_year_start + interval '24 months'
    GROUP BY a.vcio),
lost AS (
    SELECT o.vcio, count(*) AS n, sum(o.mrr) AS mrr FROM offboardings o
    WHERE o.tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR o.vcio = %(vcio)s)
      AND o.effective_on >= %(start_date)s AND o.effective_on < %(end_date)s
    GROUP BY o.vcio),
vcios AS (SELECT vcio FROM profile UNION SELECT vcio FROM in_period WHERE held + touched > 0
          UNION SELECT vcio FROM lost)
SELECT v.vcio, coalesce(p.clients, 0), coalesce(p.mrr, 0), coalesce(p.touch_target, 0),
  coalesce(s.n, 0), coalesce(d.held, 0), coalesce(d.touched, 0), coalesce(d.amount, 0),
  coalesce(p.backlog_count, 0), coalesce(p.backlog_one_time, 0), coalesce(d.reviews, 0),
  coalesce(b.n, 0), coalesce(p.open_items, 0), coalesce(x.items, 0), coalesce(l.n, 0),
  coalesce(l.mrr, 0), coalesce(x.areas, 0), coalesce(p.steady_mrr, 0), coalesce(p.changed, 0)
FROM vcios v LEFT JOIN profile p USING (vcio) LEFT JOIN ahead s USING (vcio)
  LEFT JOIN in_period d USING (vcio) LEFT JOIN budgeted b USING (vcio) LEFT JOIN late x USING (vcio)
  LEFT JOIN lost l USING (vcio)
ORDER BY v.vcio
""")

CHANGED_MRR_SQL = "WITH " + ACTIVE + "," + CHANGED + """
SELECT a.vcio, h.client_id, h.effective_on, h.value FROM client_history h
JOIN active a USING (client_id) WHERE h.field = 'mrr' AND h.client_id IN (SELECT client_id FROM changed)
ORDER BY h.client_id, h.effective_on NULLS FIRST, h.position
"""

OVERDUE_AREAS_PAGE_SQL = """
SELECT a.client_id, c.name, a.category, a.frequency_months, a.last_answered_at, a.due_at
FROM client_areas a JOIN client_facts c USING (client_id)
WHERE a.tenant = %(tenant)s AND (a.due_at IS NULL OR a.due_at < %(today)s)
  AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
  AND NOT EXISTS (SELECT 1 FROM client_lifecycle l WHERE l.client_id = c.client_id
                  AND l.offboarded_on <= %(today_date)s)
  AND (%(after_name)s::text IS NULL
       OR (c.name, a.client_id, a.category) > (%(after_name)s, %(after_client)s, %(after_category)s))
ORDER BY c.name, a.client_id, a.category
LIMIT %(limit)s
"""


def per_vcio_statement(rules: PlanningRules) -> bytes:
    """``PER_VCIO_SQL`` with the touch targets of ``rules``, rendered once per table of rules
    (not on every request: the text is the same, and so is the statement PostgreSQL prepared)."""
    return _rendered(touch_table(rules))


@lru_cache(maxsize=64)
def _rendered(table: TouchTable) -> bytes:
    return PER_VCIO_SQL.format(touch_target=touch_target_of(table)).as_bytes(None)
