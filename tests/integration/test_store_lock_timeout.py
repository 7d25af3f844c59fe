"""A stuck writer cannot block everyone: a command gives up on the store's lock in time.

The settings fixture sets a 2 s lock timeout; the command must answer "busy, retry" within a
few seconds instead of hanging, and record nothing.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from commands.ledger import StoreBusyError
from commands.reviews import RecordAnswer
from events.vocabulary import Answer
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


@contextmanager
def stuck_writer(services: Any) -> Iterator[None]:
    """Another session holding the event table's write lock, as a stuck writer would."""
    table = services.ledger.recorder.events_table_name
    with psycopg.connect(services.database.conninfo) as conn:
        conn.execute(SQL("LOCK TABLE public.{} IN EXCLUSIVE MODE").format(Identifier(table)))
        try:
            yield
        finally:
            conn.rollback()


def test_a_command_reports_a_busy_store_within_seconds(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    started = time.monotonic()

    with stuck_writer(services), pytest.raises(StoreBusyError):
        scenario.answer(client, review, standard, Answer.YES)

    assert time.monotonic() - started < 2 * services.settings.lock_timeout_seconds + 1


def test_a_command_that_found_the_store_busy_records_nothing(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    before = services.ledger.recorder.max_notification_id()

    with stuck_writer(services), pytest.raises(StoreBusyError):
        scenario.answer(client, review, standard, Answer.YES)

    assert services.ledger.recorder.max_notification_id() == before


def test_a_busy_store_answer_can_be_retried_with_the_same_key(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    command = RecordAnswer(client_id=client, review_id=review, standard_id=standard,
                           answer=Answer.YES)
    with stuck_writer(services), pytest.raises(StoreBusyError):
        services.bus.handle(command, scenario.tam, scenario.clock, "busy-retry")

    retried = services.bus.handle(command, scenario.tam, scenario.clock, "busy-retry")

    assert not retried.replayed
    assert retried.position is not None
