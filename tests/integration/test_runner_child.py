"""``vcio serve`` keeps its runner child alive: a child that dies is started again and the
read models it follows catch up with what was written meanwhile."""

import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest

from commands.clients import OnboardClient
from runtime.runner import RunnerChild
from runtime.services import Services
from tests.integration.poison import separate_database
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

CHILD_START_SECONDS = 60  # a fresh interpreter importing the app, on a loaded machine


@pytest.fixture()
def child(database: Any, settings: Any) -> Iterator[tuple[Services, Scenario, RunnerChild]]:
    """A runner child following the client directory of a database of its own."""
    with separate_database(database, settings) as services:
        runner = RunnerChild(services.database, "client_directory", initial_backoff=0.1).start()
        try:
            yield services, Scenario(services.bus, "msp-runner-child"), runner
        finally:
            runner.stop()


def onboard(scenario: Scenario, name: str) -> int:
    result = scenario.bus.handle(OnboardClient(
        name=name, mrr="3000.00", user_count=5, complexity=3, industry="legal", vcio="vera.vcio",
        tam="tom.tam"), scenario.vcio)
    assert result.position is not None
    return int(result.position)


def wait_until_applied(services: Services, position: int) -> None:
    deadline = time.monotonic() + CHILD_START_SECONDS
    while services.reader.position("client_directory") < position:
        assert time.monotonic() < deadline, f"client_directory never reached {position}"
        time.sleep(0.1)


def test_a_killed_runner_child_is_started_again_and_its_read_model_catches_up(child: Any) -> None:
    services, scenario, runner = child
    wait_until_applied(services, onboard(scenario, "Before The Kill"))
    killed = runner.process.pid
    os.kill(killed, signal.SIGKILL)
    position = onboard(scenario, "While It Was Down")

    wait_until_applied(services, position)

    assert runner.restarts == 1
    assert runner.process.pid != killed
    names = {c.name for c in services.client_directory.clients(scenario.tenant, None)}
    assert names == {"Before The Kill", "While It Was Down"}


def test_a_stopped_runner_child_is_not_started_again(child: Any) -> None:
    services, scenario, runner = child
    wait_until_applied(services, onboard(scenario, "Before The Stop"))

    runner.stop()
    time.sleep(0.5)  # several backoff periods: a restart would have happened by now

    assert runner.restarts == 0
    assert runner.process.poll() is not None
