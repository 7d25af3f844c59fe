"""The commit message's values (bound as array literals) reach the log exactly as given, however
awkward the text or bytes."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult
from runtime.group_commit import PendingSave
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

AWKWARD = 'a "quoted", {braced} \\back\\slashed\' NULL é 雪 \t\n'


def test_awkward_states_topics_and_idempotency_keys_are_stored_as_given(
        services: Any, scenario: Scenario) -> None:
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
