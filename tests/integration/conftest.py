"""Integration fixtures: scenarios on the PostgreSQL ledger, and private projectors.

A private projector runs a product projection under a name of its own (its own schemas and
tracking row), so a test can crash, poison or rebuild it without touching the read models the
rest of the suite and the API read.
"""

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier
from typer.testing import CliRunner

from projections.base import Projection
from projections.catalog import CATALOG_SCHEMA, generation_schema
from projections.runner import BatchProjector
from runtime.database import Database
from tests.unit.scenario import Scenario

Rows = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def scenario(services: Any, tenant: str) -> Scenario:
    return Scenario(services.bus, tenant)


@pytest.fixture
def vcio(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The ``vcio`` command line, on the test database."""
    monkeypatch.setenv("VCIO_DATABASE_URL", database.conninfo)
    return CliRunner()


def private_name(base: str) -> str:
    return f"t_{base}_{uuid.uuid4().hex[:8]}"


def projector_for(services: Any, projection: Projection, batch_size: int = 1000) -> BatchProjector:
    events_table = services.ledger.recorder.events_table_name
    projector = BatchProjector(services.database.conninfo, projection, services.decode,
                               events_table, batch_size)
    projector.ensure_created()
    return projector


@pytest.fixture
def private_projectors(services: Any) -> Iterator[Callable[..., BatchProjector]]:
    """Makes projectors for private projections; drops their schemas and catalog rows after."""
    names: list[str] = []

    def make(projection: Projection, batch_size: int = 1000) -> BatchProjector:
        names.append(projection.name)
        return projector_for(services, projection, batch_size)

    yield make
    with psycopg.connect(services.database.conninfo, autocommit=True) as conn:
        for name in set(names):
            schemas = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                (generation_schema(name, 0)[:-1] + "%",)).fetchall()
            for (schema,) in schemas:
                conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))
            for table in ("registry", "dead_letters"):
                column = "name" if table == "registry" else "projection"
                conn.execute(SQL("DELETE FROM {}.{} WHERE {} = %s").format(
                    Identifier(CATALOG_SCHEMA), Identifier(table), Identifier(column)), (name,))


def live_rows(conninfo: str, name: str) -> Rows:
    """Every row of every table of a projection's live generation, in a stable order."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        generation = conn.execute(
            SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
                Identifier(CATALOG_SCHEMA)), (name,)).fetchone()[0]
        schema = generation_schema(name, generation)
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
            " AND table_name <> 'tracking' ORDER BY table_name", (schema,)).fetchall()]
        rows: Rows = {}
        for table in tables:
            cur = conn.execute(SQL("SELECT * FROM {}.{}").format(
                Identifier(schema), Identifier(table)))
            rows[table] = sorted(cur.fetchall(), key=repr)
        return rows


@pytest.fixture
def own_ledger(services: Any) -> Iterator[Any]:
    """A second ledger on the same database: its own pool, cache and (patchable) ``save``."""
    from runtime.services import build_ledger

    ledger = build_ledger(services.settings, services.database)
    yield ledger
    ledger.close()


@pytest.fixture
def racing_ledgers(services: Any) -> Iterator[list[Any]]:
    """Six more ledgers on the same database, as if in six processes: one process decides on an
    aggregate one command at a time, so a race on the same aggregate needs two of them."""
    from runtime.services import build_ledger

    small = services.settings.model_copy(update={"pool_size": 2})
    ledgers = [build_ledger(small, services.database) for _ in range(6)]
    yield ledgers
    for ledger in ledgers:
        ledger.close()


def hold_first_saves(ledgers: list[Any], parties: int) -> None:
    """Make each thread's first save wait until ``parties`` threads have decided, so that all of
    them decide on the same version and then write at once, the race under test."""
    barrier = threading.Barrier(parties, timeout=20)
    waited: set[int] = set()
    for ledger in ledgers:
        def gated_save(*args: Any, _save: Any = ledger.save, **kwargs: Any) -> Any:
            if threading.get_ident() not in waited:
                waited.add(threading.get_ident())
                barrier.wait()
            return _save(*args, **kwargs)

        ledger.save = gated_save


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel threads; each outcome is a result or the exception raised."""
    def outcome(call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(outcome, calls))


@pytest.fixture(params=["one message", "copy"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[int] | None:
    """Groups written the small way (one message with INSERT: answers None) or, with ``copy``,
    every group as a large one (one message around a binary COPY): answers the sizes of the
    groups copied (the last one is the act's), to check the way taken."""
    if request.param == "copy":
        copied: list[int] = []
        from runtime.group_writer import GroupWriter

        monkeypatch.setattr("runtime.group_writer.ONE_MESSAGE_BYTES", 0)
        copy = GroupWriter._begin_and_copy

        def counted(self: Any, curs: Any, attempt: Any, group: Any, *args: Any) -> Any:
            copied.append(len(group))
            return copy(self, curs, attempt, group, *args)

        monkeypatch.setattr(GroupWriter, "_begin_and_copy", counted)
        return copied
    return None
