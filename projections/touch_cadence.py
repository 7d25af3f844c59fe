"""Read model: is each client touched as often as its cadence asks?

Per client and calendar month (UTC): the unique touches that count toward cadence (touches
with a decision maker) against the client's target touches per month. Touches with anyone
else are counted apart and never make up a shortfall. A client is *behind* when any month of
the window fell short of its target; the shortfall is the sum of the missing touches, and
clients behind cadence come first, the largest shortfall first.

The target is the client's cadence override while it has one, else the touches a month of its
latest meeting plan (the MSP's own rules as they stood when the plan was made), else the default
below for a client never planned. So the target is the cadence the client was last planned with
or set by hand; a change of the MSP's rules applies from the client's next plan, as it does to
its meetings.

An offboarded client has no target from the month after its offboarding takes effect (a month
that starts on that day included), and a client offboarded by the window's first day is left
out; touches logged are still shown.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from psycopg import Cursor

from aggregates.cadence_rules import PlanningRules, default_rules
from projections.base import Projection
from projections.catalog import ProjectionReader
from projections.fiscal import Period, add_months, month_start, months_from
from projections.lifecycle_tables import (
    LIFECYCLE_TOPICS,
    apply_lifecycle_event,
    create_lifecycle_tables,
)
from projections.meeting_tables import TOUCH_TOPICS, apply_touch_event, create_touch_tables
from projections.strategy_tables import (
    CLIENT_CADENCE_TOPICS,
    CLIENT_FACT_TOPICS,
    apply_client_cadence_event,
    apply_client_fact_event,
    create_client_cadence_tables,
    create_client_fact_tables,
)

MAX_MONTHS = 36


class RulesSource(Protocol):
    """Where a view finds the cadence rules an MSP has in force (the MSP's settings read model;
    the product's defaults for an MSP that recorded none)."""

    def cadence_rules_or_defaults(self, tenant: str, at: datetime) -> PlanningRules: ...


class DefaultRules:
    """The product's default rules for every MSP and instant."""

    def cadence_rules_or_defaults(self, tenant: str, at: datetime) -> PlanningRules:
        return default_rules()


DEFAULT_RULES = DefaultRules()


def default_touches_per_month(mrr: Decimal, user_count: int, complexity: int,
                              rules: PlanningRules | None = None) -> int:
    """The cadence of a client never planned and without an override: the touches a month the
    MSP's cadence rules give it (by default one, two for a complex, large or many-user client)."""
    return (rules or default_rules()).cadence_for(mrr, user_count, complexity).touches_per_month


def target_touches_per_month(mrr: Decimal, user_count: int, complexity: int,
                             planned: int | None, override: int | None,
                             rules: PlanningRules | None = None) -> int:
    """The override when set, else the latest plan's touches a month, else the rules'."""
    if override is not None:
        return override
    if planned is not None:
        return planned
    return default_touches_per_month(mrr, user_count, complexity, rules)


class TouchCadenceProjection(Projection):
    name = "touch_cadence"
    # 2: touch targets follow plans and overrides; 3: offboarded clients; 4: offboardings keep
    # the vCIO and MRR they had; 5: offboardings reversed late are kept (lifecycle_tables)
    version = 5
    topics = CLIENT_FACT_TOPICS + CLIENT_CADENCE_TOPICS + TOUCH_TOPICS + LIFECYCLE_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_client_fact_tables(cur)
        create_client_cadence_tables(cur)
        create_touch_tables(cur)
        create_lifecycle_tables(cur)

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        (apply_client_fact_event(cur, event) or apply_client_cadence_event(cur, event)
         or apply_touch_event(cur, event) or apply_lifecycle_event(cur, event))


@dataclass(frozen=True)
class MonthTouches:
    month: date
    touches: int
    other_touches: int
    target: int

    @property
    def shortfall(self) -> int:
        return max(self.target - self.touches, 0)


@dataclass(frozen=True)
class ClientCadence:
    client_id: UUID
    client_name: str
    vcio: str
    target_per_month: int
    months: list[MonthTouches]

    @property
    def touches(self) -> int:
        return sum(m.touches for m in self.months)

    @property
    def other_touches(self) -> int:
        return sum(m.other_touches for m in self.months)

    @property
    def target(self) -> int:
        return sum(m.target for m in self.months)

    @property
    def shortfall(self) -> int:
        return sum(m.shortfall for m in self.months)

    @property
    def behind(self) -> bool:
        return self.shortfall > 0


CLIENTS_SQL = """
SELECT c.client_id, c.name, c.vcio, c.mrr, c.user_count, c.complexity,
       k.planned_touches_per_month, k.override_touches_per_month, l.offboarded_on
FROM client_facts c LEFT JOIN client_cadence k ON k.client_id = c.client_id
LEFT JOIN client_lifecycle l ON l.client_id = c.client_id
WHERE c.tenant = %(tenant)s AND (%(client)s::uuid IS NULL OR c.client_id = %(client)s)
  AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
  AND (l.offboarded_on IS NULL OR l.offboarded_on > %(start_date)s)
"""

MONTHS_SQL = """
SELECT t.client_id, (date_trunc('month', t.happened_at AT TIME ZONE 'UTC'))::date,
       count(*) FILTER (WHERE t.counts_toward_cadence), count(*) FILTER (WHERE NOT t.counts_toward_cadence)
FROM touches t JOIN client_facts c ON c.client_id = t.client_id
WHERE t.tenant = %(tenant)s AND (%(client)s::uuid IS NULL OR t.client_id = %(client)s)
  AND (%(vcio)s::text IS NULL OR c.vcio = %(vcio)s)
  AND t.happened_at >= %(start)s AND t.happened_at < %(end)s
GROUP BY 1, 2
"""


class TouchCadenceView:
    """Typed queries over the touch cadence read model."""

    def __init__(self, reader: ProjectionReader, rules: RulesSource = DEFAULT_RULES) -> None:
        self.reader = reader
        self.rules = rules

    def cadence(self, tenant: str, first_month: date, months: int = 3, vcio: str | None = None,
                client_id: UUID | None = None) -> list[ClientCadence]:
        """Every client (or one vCIO's, or one) over ``months`` calendar months from
        ``first_month``; behind cadence first."""
        if not 1 <= months <= MAX_MONTHS:
            raise ValueError(f"months must be between 1 and {MAX_MONTHS}")
        first = month_start(first_month)
        period = Period(first, add_months(first, months))
        params = {"tenant": tenant, "client": client_id, "vcio": vcio,
                  "start": period.start_at, "end": period.end_at, "start_date": first}
        with self.reader.cursor(TouchCadenceProjection.name) as cur:
            cur.execute(CLIENTS_SQL, params)
            clients = cur.fetchall()
            cur.execute(MONTHS_SQL, params)
            counted = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in cur.fetchall()}
        rules = self.rules.cadence_rules_or_defaults(tenant, period.start_at)
        result = []
        for client, name, client_vcio, mrr, users, complexity, planned, override, gone in clients:
            target = target_touches_per_month(mrr, users, complexity, planned, override, rules)
            result.append(ClientCadence(client, name, client_vcio, target, [
                MonthTouches(m, *counted.get((client, m), (0, 0)),
                             0 if gone is not None and m >= gone else target)
                for m in months_from(first, months)]))
        return sorted(result, key=lambda c: (not c.behind, -c.shortfall, c.client_name))

    def client_cadence(self, tenant: str, client_id: UUID, first_month: date,
                       months: int = 3) -> ClientCadence | None:
        found = self.cadence(tenant, first_month, months, client_id=client_id)
        return found[0] if found else None
