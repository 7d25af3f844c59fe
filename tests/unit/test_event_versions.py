"""Old event versions keep loading: a stored version-1 ``AnswerRecorded`` is upcast on read.

``tests/data/answer_recorded_v1.json`` holds the state bytes exactly as the ledger's transcoder
wrote them before ``observed_at`` existed (no ``observed_at``, no ``class_version``). Version 2
takes the recording time as the observation time.
"""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from aggregates.client import Client
from commands.ledger import Ledger
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from tests.unit.scenario import Scenario

V1_PAYLOAD = Path(__file__).parents[1] / "data" / "answer_recorded_v1.json"
TOPIC = "aggregates.client:Client.AnswerRecorded"
TENANT = "msp-v1-fixture"
REVIEW_ID = UUID("7c3f0a4e-9d2b-4f6a-8e1c-5b3d2a4f6e8c")
STANDARD_ID = UUID("2b9e4d6f-8a1c-4e3b-9d5f-7a2c4e6b8d0f")
RECORDED_AT = datetime(2023, 5, 4, 10, 15, tzinfo=UTC)


@pytest.fixture
def client_with_v1_answer(memory_ledger: Ledger) -> UUID:
    """A client whose first two events are real and whose third is the stored v1 answer."""
    client = Client(tenant=TENANT, name="Client A", mrr=Decimal("3000.00"), user_count=24,
                    complexity=5, industry="legal", fiscal_year_start_month=1, vcio="vera.vcio",
                    tam="tom.tam", by="vera.vcio")
    client.start_review(review_id=REVIEW_ID, categories=[], in_scope=1,
                        started_at=datetime(2023, 5, 4, 9, 0, tzinfo=UTC), by="tom.tam")
    memory_ledger.save(client)
    memory_ledger.recorder.insert_events(
        [StoredEvent(client.id, client.version + 1, TOPIC, V1_PAYLOAD.read_bytes().strip())])
    return client.id


def test_the_fixture_is_a_version_1_payload(memory_ledger: Ledger) -> None:
    state = memory_ledger.mapper.transcoder.decode(V1_PAYLOAD.read_bytes().strip())

    assert "observed_at" not in state
    assert "class_version" not in state
    assert state["review_id"] == REVIEW_ID
    assert state["standard_id"] == STANDARD_ID


def test_a_version_1_answer_is_read_with_its_recording_time_as_observed_at(
        memory_ledger: Ledger, client_with_v1_answer: UUID) -> None:
    stored = memory_ledger.recorder.select_events(client_with_v1_answer, gt=2)[0]

    answer = memory_ledger.mapper.to_domain_event(stored)

    assert isinstance(answer, Client.AnswerRecorded)
    assert answer.observed_at == answer.timestamp == RECORDED_AT
    assert answer.answer is Answer.NO
    assert answer.note == "Firewall firmware dated 2021-02"


def test_a_client_with_a_version_1_answer_still_loads(
        memory_ledger: Ledger, client_with_v1_answer: UUID) -> None:
    client = memory_ledger.repository.get(client_with_v1_answer)

    assert client.version == 3
    recorded = client.reviews[REVIEW_ID].answers[STANDARD_ID]
    assert (recorded.answer, recorded.standard_revision) == (Answer.NO, 1)


def test_a_version_2_answer_keeps_its_own_observation_time(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    seen = datetime(2024, 11, 2, 8, 30, tzinfo=UTC)
    scenario.bus.handle(RecordAnswer(
        client_id=client, review_id=review, standard_id=standard, answer=Answer.YES,
        observed_at=seen), scenario.tam, scenario.tick())
    stored = scenario.ledger.recorder.select_events(client)[-1]

    answer = scenario.ledger.mapper.to_domain_event(stored)

    assert b'"class_version":2' in stored.state
    assert answer.observed_at == seen != answer.timestamp
