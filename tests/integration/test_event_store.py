"""What the PostgreSQL event store promises the projections: order, positions, old versions."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from commands.reviews import AnswerInput, RecordAnswers
from events.vocabulary import Answer
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

V1_PAYLOAD = Path(__file__).parents[1] / "data" / "answer_recorded_v1.json"
V1_REVIEW_HEX = "7c3f0a4e9d2b4f6a8e1c5b3d2a4f6e8c"
V1_STANDARD_HEX = "2b9e4d6f8a1c4e3b9d5f7a2c4e6b8d0f"
V1_TENANT = "msp-v1-fixture"
V1_RECORDED_AT = datetime(2023, 5, 4, 10, 15, tzinfo=UTC)


def test_a_batch_of_answers_is_numbered_in_the_order_of_its_versions(
        services: Any, scenario: Scenario) -> None:
    standards = [scenario.standard() for _ in range(5)]
    client = scenario.client()
    review = scenario.start(client)

    result = services.bus.handle(RecordAnswers(
        client_id=client, review_id=review,
        answers=[AnswerInput(standard_id=s, answer=Answer.YES) for s in standards]),
        scenario.tam, scenario.tick())

    batch = services.ledger.recorder.select_notifications(result.position - 4, 5)
    assert [(n.originator_id, n.originator_version) for n in batch] == [
        (client, version) for version in range(3, 8)]
    assert [services.ledger.mapper.to_domain_event(n).standard_id for n in batch] == standards
    assert batch[-1].id == result.position


def test_a_stored_version_1_answer_shows_in_the_view_observed_when_recorded(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    # The fixture's bytes with this test's ids, so the test can run against a shared database.
    payload = (V1_PAYLOAD.read_bytes().strip()
               .replace(V1_REVIEW_HEX.encode(), review.hex.encode())
               .replace(V1_STANDARD_HEX.encode(), standard.hex.encode())
               .replace(V1_TENANT.encode(), scenario.tenant.encode()))
    version = len(services.ledger.recorder.select_events(client)) + 1
    services.ledger.recorder.insert_events(
        [StoredEvent(client, version, "aggregates.client:Client.AnswerRecorded", payload)])

    services.projectors["client_alignment"].catch_up()

    view = services.alignment.alignment(scenario.tenant, client)
    assert view is not None
    [answered] = [i for i in view.items if i.standard_id == standard]
    assert (answered.answer, answered.observed_at) == ("no", V1_RECORDED_AT)
