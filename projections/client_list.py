"""The client list's page (``GET /clients``), read in one transaction: the page of clients by
name and id, how many there are over all pages, each listed client's latest score and the MSP's
cadence rules in force.

Read one by one, those were five transactions on four pooled connections, some twenty waits for
the server a page (measured under the dashboard benchmark: the list's time was nearly all spent
waiting); here they are one connection, one snapshot and three statements. The page and its
total are one statement: the total is counted beside the page (``LEFT JOIN LATERAL``), so an
empty page (past the last row) still says how many there are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.sql import SQL

from aggregates.cadence_rules import PlanningRules
from projections.catalog import ProjectionReader
from projections.client_directory import CLIENT_COLUMNS, ClientDirectoryProjection, DirectoryClient
from projections.msp_settings import MspSettingsProjection
from projections.score_history import ScoreHistoryProjection, ScorePoint, latest_points
from projections.settings_tables import in_force, rules_from

LISTED = ("tenant = %(tenant)s AND (%(vcio)s::text IS NULL OR vcio = %(vcio)s)"
          " AND (%(offboarded)s OR offboarded_on IS NULL)")

PAGE_SQL = SQL(
    "SELECT t.total, c.* FROM (SELECT count(*) AS total FROM clients WHERE " + LISTED + ") t"
    " LEFT JOIN LATERAL (SELECT {} FROM clients WHERE " + LISTED +
    " AND (%(name)s::text IS NULL OR (name, client_id) > (%(name)s, %(client_id)s))"
    " ORDER BY name, client_id LIMIT %(limit)s) c ON true ORDER BY c.name, c.client_id"
).format(CLIENT_COLUMNS)


#: The rules of an MSP that recorded none as a setting, read in the given cursor's transaction.
StoredRules = Callable[[str, Cursor[Any]], PlanningRules]


@dataclass(frozen=True)
class ClientPage:
    """A page of the client list, its total over all pages, the latest score of each client on
    it (those with a finalised review), and the cadence rules the MSP recorded (None: none, and
    no ``stored`` rules asked for)."""

    clients: list[DirectoryClient]
    total: int
    latest: dict[UUID, ScorePoint]
    cadence_rules: PlanningRules | None


def client_page(reader: ProjectionReader, tenant: str, vcio: str | None, include_offboarded: bool,
                after: tuple[str, UUID] | None, limit: int, at: datetime,
                stored: StoredRules | None = None) -> ClientPage:
    """The tenant's clients by name and id (offboarded ones too when asked), ``limit`` of them
    from the one after ``after`` (a name and id), with the cadence rules in force at ``at``;
    for an MSP that recorded none as a setting, ``stored`` ones, read in the same transaction
    (a transaction on a connection of their own was a sixth of the page's time)."""
    name, client_id = after if after is not None else (None, None)
    params: dict[str, Any] = {"tenant": tenant, "vcio": vcio, "offboarded": include_offboarded,
                              "name": name, "client_id": client_id, "limit": limit}
    with reader.cursor(ClientDirectoryProjection.name) as cur:
        cur.execute(PAGE_SQL, params)
        rows = cur.fetchall()
        clients = [DirectoryClient(*row[1:]) for row in rows if row[1] is not None]
        reader.use(cur, ScoreHistoryProjection.name)
        latest = latest_points(cur, tenant, [c.client_id for c in clients]) if clients else {}
        reader.use(cur, MspSettingsProjection.name)
        rules = in_force(cur, tenant, "cadence_rules", at)
        found = (rules_from(rules) if rules is not None
                 else stored(tenant, cur) if stored is not None else None)
    return ClientPage(clients, int(rows[0][0]), latest, found)
