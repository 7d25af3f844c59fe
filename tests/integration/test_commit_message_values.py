"""The commit message's values (bound as array literals) reach the log exactly as given, however
awkward the text or bytes."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import DataError, StoredEvent

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult
from runtime import simple_query
from runtime.group_commit import PendingSave
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

AWKWARD = 'a "quoted", {braced} \\back\\slashed\' NULL é 雪 \t\n'


def test_awkward_states_topics_and_idempotency_keys_are_stored_as_given(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    originator = uuid4()
    events = [StoredEvent(originator_id=originator, originator_version=1,
                          topic=f"tests:{AWKWARD}", state=bytes(range(256))),
              StoredEvent(originator_id=originator, originator_version=2, topic="tests:Empty",
                          state=b"")]
    key = f"key-{originator}-{AWKWARD}"
    pending = PendingSave(events, {COMMAND_LOG_KWARG: CommandLogEntry(
        scenario.tenant, key, AWKWARD, AWKWARD, CommandResult(originator, 2, None))})

    services.ledger.recorder._write_group([pending])

    stored = services.ledger.recorder.select_events(originator)
    logged = services.ledger.command_log.find_command(scenario.tenant, key)
    assert [(e.topic, e.state) for e in stored] == [(e.topic, e.state) for e in events]
    assert (logged.command_name, logged.fingerprint, logged.result.position) == (
        AWKWARD, AWKWARD, max(pending.ids or [0]))
    assert way is None or way[-1:] == [1]


def logged_save(scenario: Scenario, key: str) -> PendingSave:
    """A one-event save of a new originator with an idempotency record under ``key``."""
    originator = uuid4()
    event = StoredEvent(originator_id=originator, originator_version=1, topic="tests:Saved",
                        state=b"{}")
    return PendingSave([event], {COMMAND_LOG_KWARG: CommandLogEntry(
        scenario.tenant, key, "Save", "fingerprint", CommandResult(originator, 1, None))})


def test_a_nul_in_one_saves_idempotency_key_fails_that_save_alone(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    good, bad = logged_save(scenario, f"good-{uuid4()}"), logged_save(scenario, "bad\x00key")

    services.ledger.recorder._write_group([good, bad])

    assert isinstance(bad.error, DataError)
    assert services.ledger.recorder.select_events(bad.stored_events[0].originator_id) == []
    assert good.ids == [services.ledger.command_log.find_command(
        scenario.tenant, good.kwargs[COMMAND_LOG_KWARG].idempotency_key).result.position]
    assert way is None or way[-1:] == [2]  # tried as a group first


def test_three_hundred_saves_with_awkward_keys_are_written_in_one_message(
        services: Any, scenario: Scenario, way: list[int] | None) -> None:
    group = [logged_save(scenario, f"{n}-{uuid4()}-{AWKWARD}") for n in range(300)]

    services.ledger.recorder._write_group(group)

    keys = [p.kwargs[COMMAND_LOG_KWARG].idempotency_key for p in group]
    positions = [services.ledger.command_log.find_command(scenario.tenant, key).result.position
                 for key in keys]
    assert positions == [p.ids[0] for p in group]
    assert positions == list(range(positions[0], positions[0] + 300))
    assert way is None or way[-1:] == [300]


@pytest.mark.parametrize("standard", ["on", "off"])
def test_awkward_text_quoted_into_a_message_reaches_the_server_as_given(
        database: Any, standard: str) -> None:
    with database.connect(autocommit=True) as conn:
        conn.execute(f"SET standard_conforming_strings = {standard}")
        message = simple_query.with_literals(["SELECT ", "::text"], [AWKWARD],
                                             simple_query.standard_strings(conn))

        values = simple_query.first_column(simple_query.run(conn, message))

    assert [v.decode() for v in values if v is not None] == [AWKWARD]
