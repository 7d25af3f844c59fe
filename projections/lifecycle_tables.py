"""Tables of clients' offboardings, kept by the read models that count active clients.

``client_lifecycle`` holds, per client, the day its current offboarding takes effect (no row, or
NULL, for an active client): counts, targets and overdue lists leave a client out from that day.
``offboardings`` keeps every offboarding, by its effective day, with the client's vCIO and MRR
when it was recorded, for turnover. A re-onboarding recorded before the offboarding took effect
removes it (the client never left); one recorded later keeps it, with ``reversed_on``: the
client was lost in that period, and came back in another.
Read models that keep these tables also keep ``client_facts`` (the vCIO and MRR of each client).
"""

from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client

LIFECYCLE_TOPICS = tuple(get_topic(cls) for cls in (
    Client.ClientOffboarded, Client.ClientReonboarded))

# A condition on a client row aliased ``c`` with a ``%(today_date)s`` parameter.
ACTIVE_ON_TODAY = """NOT EXISTS (SELECT 1 FROM client_lifecycle l WHERE l.client_id = c.client_id
    AND l.offboarded_on <= %(today_date)s)"""


def create_lifecycle_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE client_lifecycle (
            client_id uuid PRIMARY KEY, tenant text NOT NULL, offboarded_on date)""")
    cur.execute("""
        CREATE TABLE offboardings (
            client_id uuid NOT NULL, tenant text NOT NULL, effective_on date NOT NULL,
            reason text NOT NULL, vcio text NOT NULL, mrr numeric NOT NULL, reversed_on date,
            PRIMARY KEY (client_id, effective_on))""")
    cur.execute("CREATE INDEX ON offboardings (tenant, effective_on)")


def apply_lifecycle_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply an offboarding or a re-onboarding; False when the event is neither."""
    if isinstance(event, Client.ClientOffboarded):
        cur.execute("INSERT INTO client_lifecycle (client_id, tenant, offboarded_on)"
                    " VALUES (%s, %s, %s) ON CONFLICT (client_id)"
                    " DO UPDATE SET offboarded_on = excluded.offboarded_on",
                    (event.originator_id, event.tenant, event.effective_on))
        cur.execute("INSERT INTO offboardings (client_id, tenant, effective_on, reason, vcio, mrr)"
                    " SELECT %s, %s, %s, %s, c.vcio, c.mrr FROM client_facts c WHERE c.client_id = %s"
                    " ON CONFLICT (client_id, effective_on) DO UPDATE SET reason = excluded.reason,"
                    " vcio = excluded.vcio, mrr = excluded.mrr, reversed_on = NULL",
                    (event.originator_id, event.tenant, event.effective_on, event.reason,
                     event.originator_id))
        return True
    if isinstance(event, Client.ClientReonboarded):
        cur.execute("UPDATE client_lifecycle SET offboarded_on = NULL WHERE client_id = %s",
                    (event.originator_id,))
        back_on = event.timestamp.date()
        cur.execute("DELETE FROM offboardings WHERE client_id = %s AND reversed_on IS NULL"
                    " AND effective_on > %s", (event.originator_id, back_on))
        cur.execute("UPDATE offboardings SET reversed_on = %s WHERE client_id = %s"
                    " AND reversed_on IS NULL", (back_on, event.originator_id))
        return True
    return False
