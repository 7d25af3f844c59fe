"""Shared fixtures: a real PostgreSQL (embedded unless VCIO_DATABASE_URL is set), wired services,
in-memory ledgers for unit tests, and a fresh tenant per test instead of global clean-up."""

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from commands.ledger import Ledger
from commands.results import Actor
from runtime.database import Database, start_embedded
from runtime.personal_vault import InMemoryVault
from runtime.settings import Settings


@pytest.fixture(scope="session")
def database() -> Iterator[Database]:
    url = os.environ.get("VCIO_DATABASE_URL")
    if url:
        yield Database(url)
        return
    # Not under pytest's basetemp: that folder is private to root (0700), and the embedded
    # server runs as its own system user, which must be able to reach its data directory.
    data_dir = Path(tempfile.gettempdir()) / f"vcio-test-pg-{uuid.uuid4().hex[:12]}"
    data_dir.mkdir(mode=0o755)
    db, server = start_embedded(data_dir, cleanup_mode="delete")
    yield db
    server.cleanup()  # type: ignore[attr-defined]
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(database_url=None, lock_timeout_seconds=2)


@pytest.fixture(scope="session")
def services(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    from runtime.services import build_services

    built = build_services(settings, database)
    yield built
    built.close()


@pytest.fixture
def tenant() -> str:
    return f"msp-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def admin(tenant: str) -> Actor:
    return Actor(tenant=tenant, name="ada.admin", role="admin")


@pytest.fixture
def memory_ledger() -> Iterator[Ledger]:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory"})
    yield ledger
    ledger.close()


@pytest.fixture
def memory_vault() -> InMemoryVault:
    return InMemoryVault()
