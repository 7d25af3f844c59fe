"""A read model whose table shape changed is rebuilt aside on start, and large saves finish."""

from typing import Any

import psycopg
import pytest

from commands.reviews import standard_facts
from events.vocabulary import Answer
from projections.catalog import CATALOG_SCHEMA
from projections.client_alignment import ClientAlignmentProjection
from tests.integration.conftest import private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def live_generation(services: Any, name: str) -> tuple[int, int]:
    with psycopg.connect(services.database.conninfo) as conn:
        row = conn.execute(f"SELECT generation, shape_version FROM {CATALOG_SCHEMA}.registry"  # noqa: S608
                           " WHERE name = %s", (name,)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_a_projection_with_a_newer_table_shape_is_rebuilt_and_swapped_in_on_start(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    name = private_name("upgrade")

    class Version1(ClientAlignmentProjection):
        version = 1  # the shape versions are the test's own, whatever the real one is

    class Version2(ClientAlignmentProjection):
        version = 2

        def create_tables(self, cur: Any) -> None:
            super().create_tables(cur)
            cur.execute("CREATE TABLE shape_marker (added_in int)")

    Version1.name = Version2.name = name
    private_projectors(Version1()).catch_up()
    assert live_generation(services, name) == (1, 1)

    upgraded = private_projectors(Version2())

    assert live_generation(services, name) == (2, 2)
    with services.reader.cursor(name) as cur:
        cur.execute("SELECT count(*) FROM shape_marker")
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT answer FROM answers WHERE client_id = %s", (client,))
        assert cur.fetchall() == [("no",)]
    assert upgraded.status().lag == 0


def test_a_single_save_of_three_thousand_answers_completes(services: Any,
                                                          scenario: Scenario) -> None:
    # psycopg's pipeline mode could stall on a message larger than the socket buffer while
    # holding the event-store lock; saves are sent without it.
    standards = [scenario.standard() for _ in range(10)]
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    client = services.ledger.load_client(scenario.vcio, client_id)
    before = services.ledger.recorder.max_notification_id()
    looked_up = {s: standard_facts(services.ledger, scenario.tam, s) for s in standards}
    for round_number in range(300):
        for standard_id in standards:
            client.record_answer(review_id=review_id, standard=looked_up[standard_id],
                                 answer=Answer.YES if round_number % 2 else Answer.NO,
                                 note="x" * 200, observed_at=scenario.tick(), by="tam")

    recordings = services.ledger.save(client)

    assert len(recordings) == 3000
    assert services.ledger.recorder.max_notification_id() == before + 3000
