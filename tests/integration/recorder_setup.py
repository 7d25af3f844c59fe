"""Shared set-up for the event-store tests that run the library's own recorder cases and its
connection-kill scenarios: a database of the module's own in the test server (so that killing
its connections disturbs no other test) and a fresh-tabled recorder per test."""

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore
from psycopg.conninfo import conninfo_to_dict
from psycopg.sql import SQL, Identifier

from runtime.database import Database
from runtime.event_store import PostgresLedgerRecorder


@pytest.fixture(scope="module")
def conformance_db(database: Database) -> Iterator[dict[str, Any]]:
    """A database of this module's own in the test server: its connections can be killed."""
    name = f"conformance_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    parts = conninfo_to_dict(database.conninfo)
    yield {"dbname": name, "host": str(parts.get("host") or urlparse(database.conninfo).hostname),
           "port": str(parts.get("port") or "5432"), "user": str(parts.get("user") or "postgres"),
           "password": str(parts.get("password") or ""), "admin": database.conninfo}
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE {} WITH (FORCE)").format(Identifier(name)))


def close_all_connections(db: dict[str, Any]) -> int:
    """What a server restart does to a pool: every connection to the database is terminated
    by the server (the library's ``pg_close_all_connections``, for this database only)."""
    with psycopg.connect(db["admin"], autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            " WHERE datname = %s AND pid <> pg_backend_pid()",
                            (db["dbname"],)).fetchall()
    return len(rows)


class LedgerRecorderSetup:
    """Builds a datastore and a fresh-tabled recorder per test, as the library's own
    ``SetupPostgresDatastore`` does (one pooled connection unless a case asks for more)."""

    schema = "public"
    originator_id_type = "uuid"
    pool_size = 1
    db: dict[str, Any]
    datastore: PostgresDatastore

    @pytest.fixture(autouse=True)
    def _datastore(self, conformance_db: dict[str, Any]) -> Iterator[None]:
        self.db = conformance_db
        self.table = f"conf_{uuid.uuid4().hex[:10]}_events"
        self.datastore = self.new_datastore(self.pool_size)
        if self.schema != "public":
            with self.datastore.transaction(commit=True) as curs:
                curs.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    Identifier(self.schema)))
        yield
        self.datastore.close()
        with psycopg.connect(self.db["admin"], dbname=self.db["dbname"], autocommit=True) as conn:
            for table in (self.table, self.table.replace("_events", "_command_log")):
                conn.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(
                    Identifier(self.schema), Identifier(table)))

    def new_datastore(self, pool_size: int, **options: Any) -> PostgresDatastore:
        return PostgresDatastore(
            self.db["dbname"], self.db["host"], self.db["port"], self.db["user"],
            self.db["password"], pool_size=pool_size, max_overflow=0, schema=self.schema,
            originator_id_type=self.originator_id_type,  # type: ignore[arg-type]
            lock_timeout=options.pop("lock_timeout", 2), **options)

    def create_recorder(self) -> PostgresLedgerRecorder:
        recorder = PostgresLedgerRecorder(self.datastore, events_table_name=self.table)
        recorder.create_table()
        return recorder

    def with_pool_of(self, size: int) -> None:
        self.datastore.close()
        self.datastore = self.new_datastore(size)
