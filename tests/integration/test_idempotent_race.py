"""Copies of one command racing with the same idempotency key land exactly once, and every copy
answers with the first copy's result."""

import functools
import threading
import time
from typing import Any
from uuid import UUID

import pytest

from commands.bus import CommandBus
from commands.clients import OnboardClient
from commands.results import CommandResult
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from tests.integration.conftest import hold_first_saves, run_together
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

COPIES = 6


def outcome(result: Any) -> Any:
    assert isinstance(result, CommandResult), repr(result)
    return result.aggregate_id, result.version, result.position, result.created_id


@pytest.fixture
def answer_command(scenario: Scenario) -> RecordAnswer:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    return RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                        answer=Answer.NO, note="no MFA on the VPN")


def test_racing_copies_of_an_answer_record_one_event(
        racing_ledgers: list[Any], scenario: Scenario, answer_command: RecordAnswer) -> None:
    client = answer_command.client_id
    before = len(racing_ledgers[0].recorder.select_events(client))
    hold_first_saves(racing_ledgers, parties=COPIES)

    run_together(*[lambda ledger=ledger: CommandBus(ledger).handle(
        answer_command, scenario.tam, scenario.clock, "answer-vpn") for ledger in racing_ledgers])

    assert len(racing_ledgers[0].recorder.select_events(client)) == before + 1


def test_racing_copies_of_an_onboarding_create_one_client(
        own_ledger: Any, scenario: Scenario) -> None:
    command = OnboardClient(name="Client C", mrr="1500.00", user_count=12, complexity=8,
                            industry="healthcare", vcio="vera.vcio", tam="tom.tam")
    client_id: UUID = own_ledger.new_id(scenario.vcio, "onboard-c", "client")
    hold_first_saves([own_ledger], parties=COPIES)

    run_together(*[lambda: CommandBus(own_ledger).handle(command, scenario.vcio, idempotency_key="onboard-c")]
                 * COPIES)

    assert len(own_ledger.recorder.select_events(client_id)) == 1


def late_copy_race(ledgers: list[Any], copies: int) -> threading.Event:
    """The first copy's look-up and the others' run together; one copy (``late``) looked the
    key up before the first copy committed but writes only after it did, over a connection
    slow enough that the refusal of its key reaches it before it finishes sending the batch."""
    committed = threading.Event()
    late = threading.Event()
    barrier = threading.Barrier(copies - 1, timeout=20)
    waited: set[int] = set()

    def gated_save(*args: Any, save: Any, **kwargs: Any) -> Any:
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            if not late.is_set():
                late.set()
                assert committed.wait(20)
            else:
                barrier.wait()
        recordings = save(*args, **kwargs)
        committed.set()
        return recordings

    def slow_write(*args: Any, write: Any, **kwargs: Any) -> Any:
        written = write(*args, **kwargs)
        time.sleep(0.05)
        return written

    for ledger in ledgers:
        ledger.save = functools.partial(gated_save, save=ledger.save)
        ledger.recorder._write_together = functools.partial(
            slow_write, write=ledger.recorder._write_together)
    return committed


def test_racing_copies_of_an_answer_all_get_the_first_result_even_a_late_one(
        racing_ledgers: list[Any], scenario: Scenario, answer_command: RecordAnswer) -> None:
    late_copy_race(racing_ledgers, COPIES)

    results = run_together(*[lambda ledger=ledger: CommandBus(ledger).handle(
        answer_command, scenario.tam, scenario.clock, "answer-vpn") for ledger in racing_ledgers])

    assert len({outcome(r) for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
