"""A poison event in the log (strings with NUL, which PostgreSQL text cannot hold) is set aside
by every read model, which then goes on applying what follows."""

from typing import Any

import pytest

from projections.base import Projection
from runtime.services import all_projections
from tests.integration.poison import write_poisoned_copy
from tests.integration.test_projection_rebuild import privately_named
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

PRODUCT_PROJECTIONS = all_projections()


@pytest.fixture
def poisoned_log(services: Any, scenario: Scenario) -> int:
    """A client and a standard, then poisoned copies of both; returns the last poison's position."""
    scenario.standard()
    standard = scenario.standard(category="email")
    client = scenario.client("Poison Test Client")
    write_poisoned_copy(services, client, "Poison Test Client")
    return write_poisoned_copy(services, standard, "Is control")


@pytest.mark.parametrize("projection", PRODUCT_PROJECTIONS, ids=[p.name for p in PRODUCT_PROJECTIONS])
def test_every_read_model_moves_past_a_poison_event(
        services: Any, scenario: Scenario, private_projectors: Any, projection: Projection,
        poisoned_log: int) -> None:
    projector = private_projectors(privately_named(projection))

    projector.catch_up()

    assert projector.status().position >= poisoned_log
