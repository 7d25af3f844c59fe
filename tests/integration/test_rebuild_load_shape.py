"""A rebuild loads its tables with less to maintain, and ends with the shape a runner builds."""

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from projections.audit_timeline import AuditTimelineProjection
from projections.base import Projection
from projections.catalog import generation_schema
from projections.client_alignment import ClientAlignmentProjection
from projections.roadmap import RoadmapProjection
from tests.integration.conftest import private_name
from tests.integration.test_projection_rebuild import (
    PRODUCT_PROJECTIONS,
    a_year_of_history,
    privately_named,
)
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def indexes(conninfo: str, schema: str) -> list[str]:
    """The index definitions of a schema, with the schema's name taken out."""
    with psycopg.connect(conninfo) as conn:
        found = conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s",
                             (schema,)).fetchall()
    return sorted(str(definition).replace(f"{schema}.", "") for (definition,) in found)


def live_schema(projector: Any) -> str:
    return generation_schema(projector.name, projector.status().generation)


@pytest.mark.parametrize("projection", PRODUCT_PROJECTIONS,
                         ids=[p.name for p in PRODUCT_PROJECTIONS])
def test_a_rebuilt_generation_has_the_indexes_a_runner_creates(
        services: Any, scenario: Scenario, private_projectors: Any,
        projection: Projection) -> None:
    projector = private_projectors(privately_named(projection), batch_size=7)
    a_year_of_history(services, scenario, projector.catch_up)
    built_by_runner = indexes(services.database.conninfo, live_schema(projector))

    projector.rebuild()

    assert indexes(services.database.conninfo, live_schema(projector)) == built_by_runner


@pytest.mark.parametrize("projection", [ClientAlignmentProjection(), RoadmapProjection()],
                         ids=["client_alignment", "roadmap"])
def test_the_answers_lookup_by_client_is_created_only_after_a_rebuild_has_loaded_them(
        services: Any, projection: Projection) -> None:
    while_loading, finished = while_and_after_load(services, projection, answer_indexes)

    assert while_loading == ["answers_pkey"]
    assert finished == ["answers_client_id_standard_id_idx", "answers_pkey"]


def while_and_after_load(services: Any, projection: Projection,
                         read: Callable[[Any, str], list[str]], finishes: int = 1
                         ) -> tuple[list[str], list[str]]:
    """``read`` of a private schema's catalog after ``create_rebuild_tables`` (while a rebuild
    loads) and after ``finish_rebuild`` (``finishes`` times), in a transaction rolled back."""
    schema = private_name("load_shape")
    with psycopg.connect(services.database.conninfo) as conn, conn.cursor() as cur:
        cur.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
        cur.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(schema)))
        projection.create_rebuild_tables(cur)
        while_loading = read(cur, schema)
        for _ in range(finishes):
            projection.finish_rebuild(cur)
        finished = read(cur, schema)
        conn.rollback()
    return while_loading, finished


def answer_indexes(cur: Any, schema: str) -> list[str]:
    cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = 'answers'"
                " ORDER BY indexname", (schema,))
    return [str(name) for (name,) in cur.fetchall()]


def test_the_timeline_columns_only_read_out_get_no_planner_statistics(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    projector = private_projectors(privately_named(AuditTimelineProjection()))
    a_year_of_history(services, scenario, projector.catch_up)

    projector.rebuild()

    with psycopg.connect(services.database.conninfo) as conn:
        analysed = {str(c) for (c,) in conn.execute(
            "SELECT attname FROM pg_stats WHERE schemaname = %s AND tablename = 'timeline'",
            (live_schema(projector),)).fetchall()}
    assert {"client_id", "review_id", "kind", "position"} <= analysed
    assert analysed.isdisjoint({"summary", "before", "after", "reason"})


def timeline_keys(cur: Any, schema: str) -> list[str]:
    cur.execute("SELECT conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s"
                " AND t.relname = 'timeline' AND c.contype = 'p'", (schema,))
    return [str(name) for (name,) in cur.fetchall()]


def test_the_timeline_is_loaded_without_its_primary_key_and_gets_it_after_the_load(
        services: Any) -> None:
    # finished twice, as after a memo given up part-way: no error
    while_loading, finished = while_and_after_load(services, AuditTimelineProjection(),
                                                   timeline_keys, finishes=2)

    assert (while_loading, finished) == ([], ["timeline_pkey"])
