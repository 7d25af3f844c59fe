"""Decisions on the cached records while the store writes alone (``Ledger._trusts_cache``), and
the versions of what a command read, handed to the store's save to be checked."""

import uuid
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from commands.msp_settings import msp_settings_id
from commands.results import READ_VERSIONS_KWARG
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from tests.unit.scenario import Scenario
from tests.unit.test_ledger_loop import quick, quick_ledger, rename, watch_reads

__all__ = ["quick", "quick_ledger"]  # fixtures


@pytest.fixture
def alone(quick: Scenario) -> Scenario:
    """The store says no other process has written lately."""
    quick.ledger.recorder.writes_alone = True  # type: ignore[attr-defined]
    return quick


@pytest.fixture
def saves(alone: Scenario, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of each later save handed to the store."""
    recorder = alone.ledger.recorder
    insert = recorder.insert_events
    seen: list[dict[str, Any]] = []

    def insert_events(stored_events: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return insert(stored_events, **kwargs)

    monkeypatch.setattr(recorder, "insert_events", insert_events)
    return seen


def answer(scenario: Scenario, client: uuid.UUID, review: uuid.UUID,
           standard: uuid.UUID) -> RecordAnswer:
    return RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                        answer=Answer.NO)


def test_a_save_carries_the_version_of_each_record_read_and_not_changed(
        alone: Scenario, saves: list[dict[str, Any]]) -> None:
    standard, client = alone.standard(), alone.client()
    review = alone.start(client)
    saves.clear()

    alone.bus.handle(answer(alone, client, review, standard), alone.tam)

    assert [s.get(READ_VERSIONS_KWARG) for s in saves] == [[(standard, 2)]]


def test_a_record_read_as_missing_is_carried_as_read_at_version_zero(
        alone: Scenario, saves: list[dict[str, Any]]) -> None:
    alone.client()

    assert [s.get(READ_VERSIONS_KWARG) for s in saves] == [
        [(msp_settings_id(alone.ledger, alone.vcio), 0)]]


def test_a_save_that_read_only_what_it_changed_carries_no_read_versions(
        alone: Scenario, saves: list[dict[str, Any]]) -> None:
    client = alone.client()
    saves.clear()

    alone.bus.handle(rename(client), alone.vcio)

    assert [READ_VERSIONS_KWARG in s for s in saves] == [False]


def test_a_first_attempt_decides_on_the_cached_record_without_reading_the_store(
        alone: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    client = alone.client()
    alone.ledger.load_client(alone.vcio, client)  # cached
    seen = watch_reads(alone.ledger, client, monkeypatch)

    alone.bus.handle(rename(client), alone.vcio)

    assert seen == []


def test_a_command_reads_ahead_when_the_store_has_seen_another_writer(
        alone: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    client = alone.client()
    alone.ledger.load_client(alone.vcio, client)
    alone.ledger.recorder.writes_alone = False  # type: ignore[attr-defined]
    seen = watch_reads(alone.ledger, client, monkeypatch)

    alone.bus.handle(rename(client), alone.vcio)

    assert seen == [True]


def test_a_retry_reads_ahead_what_the_lost_attempt_only_read(
        alone: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    standard, client = alone.standard(), alone.client()
    review = alone.start(client)
    alone.ledger.load_standard(alone.committee, standard)  # cached
    seen = watch_reads(alone.ledger, standard, monkeypatch)
    save = alone.ledger.save
    losses = [IntegrityError("the standard moved on")]

    def save_losing_once(*args: Any, **kwargs: Any) -> Any:
        if losses:
            raise losses.pop()
        return save(*args, **kwargs)

    monkeypatch.setattr(alone.ledger, "save", save_losing_once)

    alone.bus.handle(answer(alone, client, review, standard), alone.tam)

    assert seen == [True]


def test_a_command_with_an_expected_version_reads_ahead_while_the_store_writes_alone(
        alone: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    client = alone.client()
    alone.ledger.load_client(alone.vcio, client)
    seen = watch_reads(alone.ledger, client, monkeypatch)

    alone.bus.handle(rename(client, expected_version=1), alone.vcio)

    assert seen == [True]
