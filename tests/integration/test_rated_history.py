"""A rating in the same batch as its answer is copied in memory, exactly as the database copies it."""

from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from events.vocabulary import Answer, Rating
from projections.as_of import AsOfProjection
from projections.catalog import generation_schema
from tests.integration.conftest import live_rows
from tests.integration.test_projection_rebuild import privately_named
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def start_at_head(services: Any, projector: Any) -> None:
    head = services.ledger.recorder.max_notification_id() or 0
    with psycopg.connect(services.database.conninfo) as conn:
        conn.execute(SQL("UPDATE {}.tracking SET position = %s").format(
            Identifier(generation_schema(projector.name, 1))), (head,))


def test_ratings_applied_with_their_answers_add_the_rows_ratings_applied_alone_add(
        services: Any, scenario: Scenario, private_projectors: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    together = private_projectors(privately_named(AsOfProjection()), batch_size=1000)
    alone = private_projectors(privately_named(AsOfProjection()), batch_size=1)
    for projector in (together, alone):  # from here on: only this test's events
        start_at_head(services, projector)
    firewall, email = scenario.standard(), scenario.standard(category="email")
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, firewall, Answer.NO)
    scenario.answer(client, review, email, Answer.YES)
    scenario.rate(client, review, firewall, Rating.MARGINAL)
    scenario.rate(client, review, firewall, Rating.HIGHLY_VULNERABLE)
    scenario.answer(client, review, email, Answer.NO)
    scenario.rate(client, review, email, Rating.MARGINAL)

    together.catch_up()
    alone.catch_up()

    history = live_rows(services.database.conninfo, together.name)["answer_history"]
    assert history == live_rows(services.database.conninfo, alone.name)["answer_history"]
    assert sum(row[7] == "rated" for row in history) == 3
    assert "isolating poison events" not in caplog.text  # the batch went in whole
