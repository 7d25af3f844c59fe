"""A poison event in the log (strings PostgreSQL text cannot hold) is set aside
by every read model, which goes on applying what follows; runners that die come back.

These tests run on a database of their own, so the poison never reaches the read models the
rest of the suite checks.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from commands.clients import OnboardClient
from projections.catalog import ReadModelStuckError
from projections.feed import LogFollower, Supervisor
from projections.rebuild import generations_of, live_generation, rebuild_all
from runtime.app import build_app
from runtime.services import Services
from tests.integration.poison import separate_database, write_poisoned_copy
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


class Interrupted(BaseException):
    """Stands for Ctrl-C in the middle of a rebuild."""


@pytest.fixture(scope="module")
def poisoned(database: Any, settings: Any) -> Iterator[tuple[Services, Scenario, list[int]]]:
    """Services on a log holding a client, a standard and poisoned copies of both, then one
    more client: (services, scenario, positions of the poison events)."""
    with separate_database(database, settings) as services:
        scenario = Scenario(services.bus, "msp-poison")
        standard = scenario.standard()
        client = scenario.client("Poison Test Client")
        poison = [write_poisoned_copy(services, client, "Poison Test Client"),
                  write_poisoned_copy(services, standard, "Is control")]
        scenario.client("After The Poison")
        yield services, scenario, poison


def onboard(scenario: Scenario, name: str) -> int:
    result = scenario.bus.handle(OnboardClient(
        name=name, mrr="3000.00", user_count=5, complexity=3, industry="legal", vcio="vera.vcio",
        tam="tom.tam"), scenario.vcio)
    assert result.position is not None
    return int(result.position)


def directory_names(services: Services, tenant: str) -> set[str]:
    return {c.name for c in services.client_directory.clients(tenant, None)}


def test_every_read_model_moves_past_a_poison_event(poisoned: Any) -> None:
    services, _, poison = poisoned

    services.catch_up()

    assert {p.name: p.status().lag for p in services.projectors.values()} == {
        name: 0 for name in services.projectors}


def test_a_poison_event_shows_as_a_dead_letter_with_a_storable_error(poisoned: Any) -> None:
    services, _, poison = poisoned

    services.catch_up()

    letters = services.reader.dead_letters("client_directory")
    assert [letter.position for letter in letters] == [poison[0]]
    assert "\x00" not in letters[0].error and len(letters[0].error) <= 2000
    assert services.projectors["standards_library"].status().dead_letters == 1


def test_events_after_a_poison_event_are_applied(poisoned: Any) -> None:
    services, scenario, _ = poisoned

    services.catch_up()

    assert "After The Poison" in directory_names(services, scenario.tenant)


def test_a_full_rebuild_with_poison_in_the_log_exits_0(poisoned: Any) -> None:
    services, _, poison = poisoned
    services.catch_up()
    env = {**os.environ, "VCIO_DATABASE_URL": services.database.conninfo}

    done = subprocess.run([sys.executable, "-m", "runtime.cli", "projections", "rebuild"],
                          env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    assert [d.position for d in services.reader.dead_letters("client_directory")] == [poison[0]]


def test_an_interrupted_rebuild_leaves_no_orphan_generation(poisoned: Any) -> None:
    services, _, _ = poisoned
    projectors = list(services.projectors.values())

    def interrupt(position: int, head: int) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        rebuild_all(projectors, interrupt)

    with services.database.connect(autocommit=True) as conn:
        assert {p.name: generations_of(conn, p.name) for p in projectors} == {
            p.name: [live_generation(conn, p.name)] for p in projectors}


def test_a_rebuild_whose_worker_fails_raises_its_error_and_leaves_no_orphan_generation(
        poisoned: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, _, _ = poisoned
    projectors = list(services.projectors.values())
    with services.database.connect(autocommit=True) as conn:
        before = {p.name: live_generation(conn, p.name) for p in projectors}

    def broken(*args: Any) -> Any:
        raise RuntimeError("the worker's connection went away")

    monkeypatch.setattr(services.projectors["audit_timeline"], "apply_window", broken)
    with pytest.raises(RuntimeError, match="connection went away"):
        rebuild_all(projectors)

    with services.database.connect(autocommit=True) as conn:
        assert {p.name: generations_of(conn, p.name) for p in projectors} == {
            name: [generation] for name, generation in before.items()}


def test_a_rebuild_after_one_killed_outright_drops_its_leftover_generation(poisoned: Any) -> None:
    services, _, _ = poisoned
    projector = services.projectors["roadmap"]
    with services.database.connect(autocommit=True) as conn:
        live = live_generation(conn, "roadmap")
        conn.execute(f"CREATE SCHEMA proj_roadmap_g{live + 1}")  # what a killed rebuild leaves

    rebuild_all([projector])

    with services.database.connect(autocommit=True) as conn:
        assert generations_of(conn, "roadmap") == [live_generation(conn, "roadmap")]


def test_wait_for_answers_at_once_naming_a_read_model_nobody_follows(poisoned: Any) -> None:
    services, scenario, _ = poisoned
    position = onboard(scenario, "Nobody Follows")
    started = time.monotonic()

    with pytest.raises(ReadModelStuckError) as raised:
        services.wait_for(position, ["client_directory"], timeout=5)

    assert raised.value.names == ["client_directory"]
    assert time.monotonic() - started < 2


def test_health_answers_503_naming_the_stuck_read_models(poisoned: Any) -> None:
    services, scenario, _ = poisoned
    onboard(scenario, "Health Check")

    response = TestClient(build_app(services)).get("/health")

    assert response.status_code == 503
    assert "client_directory" in response.json()["stuck_read_models"]


def following(services: Services, names: list[str] | None = None) -> None:
    """Wait until a runner holds the lock of the named read models (default: all)."""
    deadline = time.monotonic() + 10
    while not all(services.projectors[n].status().runner_active for n in names or services.projectors):
        assert time.monotonic() < deadline, "the runner did not take its locks"
        time.sleep(0.05)


@pytest.fixture
def supervised(poisoned: Any) -> Iterator[tuple[Services, Scenario, Supervisor]]:
    services, scenario, _ = poisoned
    runner = Supervisor(LogFollower(list(services.projectors.values())), initial_backoff=0.1)
    runner.start()
    following(services)
    yield services, scenario, runner
    runner.close()


def test_wait_for_a_position_after_a_poison_event_answers(supervised: Any) -> None:
    services, scenario, _ = supervised
    position = onboard(scenario, "Read Your Writes")

    services.wait_for(position, ["client_directory"], timeout=10)

    assert "Read Your Writes" in directory_names(services, scenario.tenant)


def runner_pids(services: Services) -> list[int]:
    with services.database.connect(autocommit=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'vcio-projection-runner'"
            " AND datname = current_database()").fetchall()]


def test_a_runner_killed_by_a_dropped_connection_comes_back(supervised: Any) -> None:
    services, scenario, runner = supervised
    services.wait_for(onboard(scenario, "Before The Drop"), ["client_directory"], timeout=10)
    with services.database.connect(autocommit=True) as conn:
        for pid in runner_pids(services):
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))

    position = onboard(scenario, "After The Drop")
    deadline = time.monotonic() + 15
    while services.reader.position("client_directory") < position:
        assert time.monotonic() < deadline, "the runner did not come back"
        time.sleep(0.05)

    assert runner.restarts >= 1
    assert "After The Drop" in directory_names(services, scenario.tenant)


def test_a_runner_failure_shows_in_status_with_a_storable_text(poisoned: Any) -> None:
    services, _, _ = poisoned
    follower = LogFollower([services.projectors["budget"]])

    follower.record_error(psycopg.OperationalError("server closed the connection\x00"))

    status = services.projectors["budget"].status()
    assert status.runner_error == "OperationalError: server closed the connection\\u0000"


def test_a_runner_clears_its_failure_once_it_applies_a_batch_again(poisoned: Any) -> None:
    services, scenario, _ = poisoned
    onboard(scenario, "Back Again")
    follower = LogFollower([services.projectors["client_directory"]])
    follower.record_error(RuntimeError("database gone"))
    runner = Supervisor(follower)
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while services.projectors["client_directory"].status().runner_error is not None:
            assert time.monotonic() < deadline, "the runner never cleared its failure"
            time.sleep(0.05)
    finally:
        runner.close()

    assert services.projectors["client_directory"].status().runner_error is None


def test_wait_for_waits_only_for_the_read_models_the_route_reads(poisoned: Any) -> None:
    services, scenario, _ = poisoned
    token = services.tokens.create(scenario.tenant, "viewer", "val.viewer")
    runner = Supervisor(LogFollower([services.projectors["client_directory"],
                                     services.projectors["score_history"]]))
    runner.start()
    try:
        following(services, ["client_directory", "score_history"])
        position = onboard(scenario, "Only The Directory")
        api = TestClient(build_app(services), headers={"Authorization": f"Bearer {token}"})

        clients = api.get("/api/v1/clients", params={"wait_for": position})
        standards = api.get("/api/v1/standards", params={"wait_for": position})
    finally:
        runner.close()

    assert clients.status_code == 200
    assert "Only The Directory" in {c["name"] for c in clients.json()["data"]}
    assert standards.status_code == 503
    assert "standards_library" in standards.json()["detail"]
