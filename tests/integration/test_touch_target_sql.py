"""The dashboard sums each vCIO's touch targets in SQL: the cadence rules rendered into one
expression give every client what ``target_touches_per_month`` gives it in Python."""

import itertools
from decimal import Decimal

from psycopg import connect
from psycopg.sql import SQL, Literal

from aggregates.cadence_rules import default_rules
from projections.touch_cadence import target_touches_per_month
from projections.vcio_dashboard_totals import touch_target_sql

MRR = ("0", "999.99", "1000", "14999.99", "15000", "40000")
USERS = (0, 9, 10, 149, 150)
COMPLEXITY = (1, 3, 4, 7, 8, 10)
CADENCE = ((None, None), (3, None), (None, 5), (3, 5))  # (planned, override)


def test_the_rendered_rules_give_each_client_the_touches_the_rules_give_it(services) -> None:
    rules = default_rules()
    grid = list(itertools.product(MRR, USERS, COMPLEXITY, CADENCE))
    rows = SQL(", ").join(SQL("({}::numeric, {}::int, {}::int, {}::int, {}::int)").format(
        *map(Literal,
             (mrr, users, complexity, planned, override)))
        for mrr, users, complexity, (planned, override) in grid)
    query = SQL("SELECT {} FROM (VALUES {}) v(mrr, user_count, complexity, planned, override),"
                " LATERAL (SELECT v.mrr, v.user_count, v.complexity) a,"
                " LATERAL (SELECT v.planned AS planned_touches_per_month,"
                " v.override AS override_touches_per_month) k").format(touch_target_sql(rules), rows)
    with connect(services.database.conninfo) as conn:
        found = [row[0] for row in conn.execute(query).fetchall()]

    assert found == [target_touches_per_month(Decimal(mrr), users, complexity, planned, override, rules)
                     for mrr, users, complexity, (planned, override) in grid]
