"""Dated history of the client facts that period metrics depend on (MRR, vCIO, TAM, users,
complexity), kept by the read models that report over periods.

``client_history`` holds one row per value and the day it holds from: the onboarding's values
hold from the beginning (``effective_on`` NULL: nothing earlier is known), each profile change
from its ``effective_on`` (a version-1 change, undated, from the day it was recorded). The value
in force on a day is the row with the latest ``effective_on`` not after it, the latest recorded
on a tie.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from psycopg import Cursor

from aggregates.client import Client
from projections.fiscal import Period

HISTORY_FIELDS = ("mrr", "vcio", "tam", "user_count", "complexity")


def create_history_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_history (
            client_id uuid NOT NULL, field text NOT NULL, position bigint NOT NULL,
            tenant text NOT NULL, effective_on date, value text NOT NULL,
            PRIMARY KEY (client_id, field, position))""")
    cur.execute("CREATE INDEX ON client_history (tenant, field)")


def apply_history_event(cur: Cursor[Any], event: Any, position: int) -> bool:
    """Record dated values of an onboarding or a profile change; False when neither."""
    if isinstance(event, Client.ClientOnboarded):
        values, effective_on = {name: getattr(event, name) for name in HISTORY_FIELDS}, None
    elif isinstance(event, Client.ClientProfileChanged):
        values = {k: v for k, v in event.changes.items() if k in HISTORY_FIELDS}
        effective_on = event.effective_on or event.timestamp.date()
    else:
        return False
    for field, value in values.items():
        cur.execute("INSERT INTO client_history (client_id, field, position, tenant, effective_on,"
                    " value) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (event.originator_id, field, position, event.tenant, effective_on, str(value)))
    return True


def over_period(values: list[tuple[date | None, Decimal]], period: Period) -> Decimal:
    """``values`` oldest first; each holds until the next one's day."""
    total = Decimal(0)
    for (start, value), (end, _) in zip(values, [*values[1:], (period.end, Decimal(0))], strict=True):
        begin = max(start or period.start, period.start)
        finish = min(end or period.start, period.end)
        if begin < finish:
            total += value * Period(begin, finish).months
    return total
