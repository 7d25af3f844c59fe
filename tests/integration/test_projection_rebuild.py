"""Rebuilding a projection from the log reproduces, row for row, what it built incrementally."""

import copy
import time
from typing import Any

import psycopg
import pytest

from commands.clients import (
    AddDecisionMaker,
    ChangeClientProfile,
)
from commands.msp_settings import SetReviewLeadTime
from commands.results import Actor
from commands.standards import ReviseStandard
from commands.suggestions import SuggestStandard
from events.vocabulary import Answer, Rating, SuggestionKind
from projections.base import Projection
from projections.catalog import generation_schema
from projections.client_alignment import ClientAlignmentProjection
from projections.client_directory import ClientDirectoryProjection
from projections.rebuild import generations_of, live_generation, rebuild_all
from projections.rebuild_processes import ProcessWorkers
from projections.score_history import ScoreHistoryProjection
from runtime.services import all_projections
from tests.integration.conftest import live_rows, private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

PRODUCT_PROJECTIONS = all_projections()


def privately_named(projection: Projection) -> Projection:
    """The same projection (same configuration) under a name, and so schemas, of its own."""
    private = copy.copy(projection)
    private.__class__ = type(f"Private{type(projection).__name__}", (type(projection),),
                             {"name": private_name(projection.name)})
    return private


def a_year_of_history(services: Any, scenario: Scenario, after_each_step: Any) -> None:
    """Standards change and clients get reviewed; the projection catches up after each step."""
    firewall, email, backup = (scenario.standard(category=c) for c in ("firewalls", "email",
                                                                       "backup"))
    client = scenario.client()
    after_each_step()
    scenario.bus.handle(ChangeClientProfile(client_id=client, changes={"user_count": 30}), scenario.vcio)
    scenario.bus.handle(AddDecisionMaker(
        client_id=client, name="Dana Owner", title="CEO", email="dana@example.com"), scenario.vcio)
    first = scenario.start(client)
    scenario.answer(client, first, firewall, Answer.NO)
    scenario.answer(client, first, email, Answer.YES)
    scenario.answer(client, first, backup, Answer.NOT_APPLICABLE)
    after_each_step()
    scenario.rate(client, first, firewall, Rating.MARGINAL)
    scenario.complete(client, first)
    # the suggestion inbox's and the MSP settings' events, so that every read model has rows
    scenario.bus.handle(SuggestStandard(
        kind=SuggestionKind.CHANGE, text="Allow a compensating control", standard_id=firewall,
        client_id=client), scenario.tam)
    scenario.bus.handle(SetReviewLeadTime(days=21, reason="longer preparation"),
                        Actor(scenario.tenant, "ada.admin", "admin"), scenario.tick())
    scenario.bus.handle(ReviseStandard(
        standard_id=firewall, changes={"priority": "medium"}, reason="compensating control"),
        scenario.committee)
    scenario.retire(backup)
    after_each_step()
    second = scenario.start(client)
    scenario.answer(client, second, firewall, Answer.NO)
    scenario.answer(client, second, firewall, Answer.YES)
    scenario.complete(client, second)
    after_each_step()


@pytest.mark.parametrize("projection", PRODUCT_PROJECTIONS,
                         ids=[p.name for p in PRODUCT_PROJECTIONS])
def test_a_rebuild_reproduces_the_incrementally_built_rows(
        services: Any, scenario: Scenario, private_projectors: Any,
        projection: Projection) -> None:
    projector = private_projectors(privately_named(projection), batch_size=7)
    a_year_of_history(services, scenario, projector.catch_up)
    incremental = live_rows(services.database.conninfo, projector.name)

    projector.rebuild()

    assert live_rows(services.database.conninfo, projector.name) == incremental
    assert any(incremental.values())


def test_a_rebuild_swaps_in_a_new_generation_at_the_same_position(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    projector = private_projectors(privately_named(ClientAlignmentProjection()))
    a_year_of_history(services, scenario, projector.catch_up)
    before = projector.status()

    projector.rebuild()

    after = projector.status()
    assert after.generation == before.generation + 1
    assert after.position == before.position


def test_a_rebuilt_generation_has_planner_statistics_before_reads_reach_it(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    projector = private_projectors(privately_named(ClientAlignmentProjection()))
    a_year_of_history(services, scenario, projector.catch_up)

    projector.rebuild()

    schema = generation_schema(projector.name, projector.status().generation)
    with psycopg.connect(services.database.conninfo) as conn:
        analysed = conn.execute(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE schemaname = %s",
            (schema,)).fetchall()
    assert analysed
    assert all(done for _, done in analysed), analysed


class CountedProcessWorkers(ProcessWorkers):
    """Process workers that count how often a rebuild used them."""

    used = 0

    def run(self, progress: Any = None, done: Any = None) -> None:
        type(self).used += 1
        super().run(progress, done)


def test_one_read_model_is_rebuilt_by_a_thread_never_in_a_forked_process(
        services: Any, scenario: Scenario, private_projectors: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("projections.rebuild.ProcessWorkers", CountedProcessWorkers)
    CountedProcessWorkers.used = 0
    projector = private_projectors(privately_named(ClientAlignmentProjection()))
    a_year_of_history(services, scenario, projector.catch_up)
    incremental = live_rows(services.database.conninfo, projector.name)

    projector.rebuild()

    assert CountedProcessWorkers.used == 0
    assert live_rows(services.database.conninfo, projector.name) == incremental


def test_several_read_models_are_rebuilt_in_worker_processes(
        services: Any, scenario: Scenario, private_projectors: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("projections.rebuild.ProcessWorkers", CountedProcessWorkers)
    CountedProcessWorkers.used = 0
    projectors = [private_projectors(privately_named(p))
                  for p in (ClientAlignmentProjection(), ScoreHistoryProjection())]
    a_year_of_history(services, scenario, lambda: [p.catch_up() for p in projectors])
    incremental = [live_rows(services.database.conninfo, p.name) for p in projectors]

    rebuild_all(projectors)

    assert CountedProcessWorkers.used == 1
    assert [live_rows(services.database.conninfo, p.name) for p in projectors] == incremental


def test_a_worker_failing_after_the_other_was_swapped_in_leaves_each_read_model_whole(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    """Each worker's read models are swapped in once it has finished them: one that fails
    later leaves those swapped in (complete, caught up), its own on their old generation, and
    no generation beside the live ones."""
    directory = privately_named(ClientDirectoryProjection())

    def finish_late_and_fail(self: Any, cur: Any) -> None:
        time.sleep(3)  # the other worker is long done and swapped in by now
        raise RuntimeError("finishing failed")

    directory.__class__ = type("FailingDirectory", (type(directory),),
                               {"finish_rebuild": finish_late_and_fail})
    alignment = private_projectors(privately_named(ClientAlignmentProjection()))
    failing = private_projectors(directory)
    a_year_of_history(services, scenario, lambda: [p.catch_up() for p in (alignment, failing)])
    incremental = live_rows(services.database.conninfo, alignment.name)
    directory_rows = live_rows(services.database.conninfo, failing.name)

    with pytest.raises(RuntimeError, match="finishing failed"):
        rebuild_all([alignment, failing])

    with psycopg.connect(services.database.conninfo, autocommit=True) as conn:
        assert [live_generation(conn, p.name) for p in (alignment, failing)] == [2, 1]
        assert [generations_of(conn, p.name) for p in (alignment, failing)] == [[2], [1]]
    assert live_rows(services.database.conninfo, alignment.name) == incremental
    assert live_rows(services.database.conninfo, failing.name) == directory_rows
