"""Read model: who decides for each client, with their name, email and phone.

The rows keep the personal data as it is in the log, sealed with the person's own key; the view
opens it when asked. Once a person is erased their key is gone, so every copy reads as erased
here, in the log and in any rebuild, and nothing in this table needs rewriting.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.sql import SQL

from aggregates.client import Client
from commands.personal_data import ERASED, PersonalDataVault
from projections.base import Projection
from projections.catalog import ProjectionReader


class DecisionMakersProjection(Projection):
    name = "decision_makers"
    topics = tuple(get_topic(cls) for cls in (
        Client.DecisionMakerAdded, Client.DecisionMakerRemoved, Client.DecisionMakerErased))

    def create_tables(self, cur: Cursor[Any]) -> None:
        cur.execute("""
            CREATE TABLE decision_makers (
                decision_maker_id uuid PRIMARY KEY, tenant text NOT NULL, client_id uuid NOT NULL,
                title text NOT NULL, sealed_name text NOT NULL, sealed_email text NOT NULL,
                sealed_phone text NOT NULL, added_at timestamptz NOT NULL, added_by text NOT NULL,
                removed_at timestamptz, erased_at timestamptz)""")
        cur.execute("CREATE INDEX ON decision_makers (tenant, client_id, added_at)")

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        if isinstance(event, Client.DecisionMakerAdded):
            cur.execute(
                "INSERT INTO decision_makers (decision_maker_id, tenant, client_id, title, sealed_name,"
                " sealed_email, sealed_phone, added_at, added_by) VALUES (%s, %s, %s, %s, %s, %s, %s,"
                " %s, %s)",
                (event.decision_maker_id, event.tenant, event.originator_id, event.title,
                 event.sealed_name, event.sealed_email, event.sealed_phone, event.timestamp, event.by))
        elif isinstance(event, Client.DecisionMakerRemoved):
            cur.execute("UPDATE decision_makers SET removed_at = %s WHERE decision_maker_id = %s",
                        (event.timestamp, event.decision_maker_id))
        elif isinstance(event, Client.DecisionMakerErased):
            cur.execute("UPDATE decision_makers SET erased_at = %s WHERE decision_maker_id = %s",
                        (event.timestamp, event.decision_maker_id))


@dataclass(frozen=True)
class DecisionMaker:
    """A client's decision maker; ``name``, ``email`` and ``phone`` read ``[erased]`` once the
    person has been erased (``erased_at`` says when)."""

    decision_maker_id: UUID
    client_id: UUID
    name: str
    title: str
    email: str
    phone: str
    added_at: datetime
    added_by: str
    removed_at: datetime | None
    erased_at: datetime | None

    @property
    def label(self) -> str:
        """How a page names them in a list: name and title, or the title alone once erased."""
        if self.name == ERASED:
            return f"Erased person ({self.title})" if self.title else "Erased person"
        return f"{self.name}, {self.title}" if self.title else self.name


class DecisionMakersView:
    """A client's decision makers with their personal data opened; other tenants' are not found."""

    def __init__(self, reader: ProjectionReader, vault: PersonalDataVault) -> None:
        self.reader = reader
        self.vault = vault

    def of_client(self, tenant: str, client_id: UUID, include_removed: bool = False) -> list[DecisionMaker]:
        """Current decision makers (and former ones when asked), in the order they were added."""
        query = SQL(
            "SELECT decision_maker_id, client_id, title, sealed_name, sealed_email, sealed_phone,"
            " added_at, added_by, removed_at, erased_at FROM decision_makers WHERE tenant = %s AND"
            " client_id = %s AND (%s OR removed_at IS NULL) ORDER BY added_at, decision_maker_id")
        with self.reader.cursor(DecisionMakersProjection.name) as cur:
            cur.execute(query, (tenant, client_id, include_removed))
            rows = cur.fetchall()
        return [self._opened(*row) for row in rows]

    def _opened(self, person: UUID, client_id: UUID, title: str, sealed_name: str, sealed_email: str,
                sealed_phone: str, added_at: datetime, added_by: str, removed_at: datetime | None,
                erased_at: datetime | None) -> DecisionMaker:
        name, email, phone = self.vault.unseal_all(person, [sealed_name, sealed_email, sealed_phone])
        return DecisionMaker(person, client_id, name, title, email, phone, added_at, added_by,
                             removed_at, erased_at)
