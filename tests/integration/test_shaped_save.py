"""A large save on the PostgreSQL ledger stores, through the shaped mapper and binary COPY, the
very rows the library's mapper would have written for the same events."""

from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper

from commands.reviews import AnswerInput, RecordAnswers
from events.vocabulary import Answer
from runtime.event_mapper import FastMapper
from tests.integration.test_copy_write import counted_copies
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

ANSWERS = 40


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return counted_copies(monkeypatch)


@pytest.fixture
def library_mapper(services: Any) -> Mapper[Any]:
    transcoder = JSONTranscoder()
    services.ledger.register_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def test_a_large_save_by_copy_stores_the_rows_the_library_s_mapper_writes(
        services: Any, scenario: Scenario, copies: list[int],
        library_mapper: Mapper[Any]) -> None:
    ledger = services.ledger
    standards = [scenario.standard() for _ in range(ANSWERS)]
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    before = len(ledger.recorder.select_events(client_id))
    answers = [AnswerInput(standard_id=s, answer=(Answer.YES, Answer.NO)[n % 2],
                           note=f"checked \"{n}\" on site\n") for n, s in enumerate(standards)]

    scenario.bus.handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=answers),
                        scenario.tam, scenario.tick(), idempotency_key=f"sitting-{client_id}")

    stored = ledger.recorder.select_events(client_id, gt=before)
    rewritten = [library_mapper.to_stored_event(ledger.mapper.to_domain_event(e))
                 for e in stored]
    assert type(ledger.mapper) is FastMapper
    assert copies[-1:] == [ANSWERS]  # the setup's saves went by COPY too
    assert [(e.originator_version, e.topic, e.state) for e in stored] == [
        (e.originator_version, e.topic, e.state) for e in rewritten]


def test_the_postgresql_ledger_saves_through_the_ledger_s_own_event_store(services: Any) -> None:
    from runtime.ledger_store import LedgerEventStore

    assert type(services.ledger.events) is LedgerEventStore
