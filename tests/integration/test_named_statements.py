"""A group's one-message transaction executes its statements by name, prepared once per
connection, and falls back to plain statements when the server session has lost them."""

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from commands.results import COMMAND_LOG_KWARG, CommandLogEntry, CommandResult
from runtime import simple_query
from runtime.group_commit import PendingSave
from runtime.named_statements import NamedStatements
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def logged_save(scenario: Scenario) -> PendingSave:
    """A one-event save of a new originator with an idempotency record."""
    originator = uuid4()
    event = StoredEvent(originator_id=originator, originator_version=1, topic="tests:Saved",
                        state=b'{"n": 1}')
    return PendingSave([event], {COMMAND_LOG_KWARG: CommandLogEntry(
        scenario.tenant, f"named-{originator}", "Save", "fingerprint",
        CommandResult(originator, 1, None))})


def sent_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Every message sent through :func:`simple_query.run`, with its connection's id."""
    sent: list[tuple[int, str]] = []
    run = simple_query.run

    def recorded(conn: Any, message: str) -> Any:
        sent.append((id(conn), message))
        return run(conn, message)

    monkeypatch.setattr(simple_query, "run", recorded)
    return sent


def stored_once(services: Any, save: PendingSave) -> bool:
    event = save.stored_events[0]
    return [e.state for e in services.ledger.recorder.select_events(event.originator_id)] == [
        event.state]


def test_group_writes_execute_their_statements_by_name_prepared_once_per_connection(
        services: Any, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sent_messages(monkeypatch)
    saves = [logged_save(scenario) for _ in range(3)]

    for save in saves:
        services.ledger.recorder._write_group([save])

    commits = [message for _, message in sent if "LOCK TABLE" in message]
    prepares = [conn for conn, message in sent if "PREPARE " in message]
    assert len(commits) == 3 and all('EXECUTE "vcio_' in m and "INSERT" not in m for m in commits)
    assert len(prepares) == len(set(prepares)) <= 3
    assert all(stored_once(services, save) for save in saves)


def deallocated(recorder: Any) -> None:
    """The pool's idle connections, prepared as the client knows, lose their statements (as
    psycopg's DEALLOCATE ALL after a rollback, or a pooler's other server session, does)."""
    named = recorder.named_statements
    for conn in list(recorder.datastore.pool._pool):
        named.forget(conn)
        NamedStatements.ready(named, conn)  # prepared for sure (even with ``ready`` replaced)
        for name in named.prepare:  # only these: psycopg's own stay, as its cache expects
            conn.execute(SQL("DEALLOCATE {}").format(Identifier(name)))
        named._ready.add(conn)


def two_writes(services: Any, scenario: Scenario,
               monkeypatch: pytest.MonkeyPatch) -> tuple[PendingSave, PendingSave, list[str]]:
    """Two one-save groups written one after the other: the saves and every commit message
    sent (a message sent again counts again)."""
    sent = sent_messages(monkeypatch)
    first, second = logged_save(scenario), logged_save(scenario)
    services.ledger.recorder._write_group([first])
    services.ledger.recorder._write_group([second])
    return first, second, [message for _, message in sent if "LOCK TABLE" in message]


def test_a_session_that_lost_its_prepared_statements_prepares_them_again_and_writes_by_name(
        services: Any, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = services.ledger.recorder
    deallocated(recorder)

    lost, after, commits = two_writes(services, scenario, monkeypatch)

    assert (lost.error, after.error, recorder.named_statements.usable) == (None, None, True)
    assert len(commits) >= 3  # the lost one sent twice (and the next, if its session lost them)
    assert all('EXECUTE "vcio_' in m for m in commits)
    assert stored_once(services, lost) and stored_once(services, after)


def test_statements_lost_again_at_once_send_the_write_and_later_ones_as_plain_statements(
        services: Any, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = services.ledger.recorder
    named = recorder.named_statements
    monkeypatch.setattr(named, "usable", True)  # restored afterwards
    monkeypatch.setattr(named, "ready", lambda conn: named.usable)  # as a pooler: never kept
    deallocated(recorder)

    lost, after, commits = two_writes(services, scenario, monkeypatch)

    assert (lost.error, after.error, named.usable) == (None, None, False)
    assert ['EXECUTE "vcio_' in m for m in commits] == [True, True, False, False]
    assert stored_once(services, lost) and stored_once(services, after)
