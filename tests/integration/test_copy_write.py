"""Large groups go into the event table by binary COPY: the ids they answer are the ids the log
gives their events, and a follower still sees every event once, in order, while processes race."""

import threading
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from runtime.group_commit import WHILE_COMMITTING_KWARG
from tests.integration.conftest import run_together
from tests.integration.recorder_setup import LedgerRecorderSetup, conformance_db  # noqa: F401

pytestmark = pytest.mark.integration

TOPIC = "tests.integration.test_copy_write:Copied"


def stored_events(count: int) -> list[StoredEvent]:
    originator = uuid4()
    return [StoredEvent(originator_id=originator, originator_version=version, topic=TOPIC,
                        state=b'{"n":%d,"note":"checked on site"}' % version)
            for version in range(1, count + 1)]


def counted_copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every save counts as large (not one message); each COPY's row count is recorded in the
    list returned."""
    from runtime.group_writer import GroupWriter

    monkeypatch.setattr("runtime.group_writer.ONE_MESSAGE_BYTES", 0)
    counted: list[int] = []
    copy = GroupWriter._copy_group_events
    copy_in_message = GroupWriter._begin_and_copy

    def counting(self: Any, curs: Any, events: Any, last_id: int) -> list[int]:
        counted.append(len(events))
        return copy(self, curs, events, last_id)

    def counting_in_message(self: Any, curs: Any, attempt: Any, group: Any, entries: Any,
                            log_params: Any, events: Any) -> list[int]:
        counted.append(len(events))
        return copy_in_message(self, curs, attempt, group, entries, log_params, events)

    monkeypatch.setattr(GroupWriter, "_copy_group_events", counting)
    monkeypatch.setattr(GroupWriter, "_begin_and_copy", counting_in_message)
    return counted


@pytest.fixture
def copies(services: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """:func:`counted_copies`, once the log holds an event."""
    services.ledger.recorder.insert_events(stored_events(1))
    return counted_copies(monkeypatch)


def logged(recorder: Any, ids: list[int]) -> list[tuple[int, Any, int]]:
    notes = recorder.select_notifications(min(ids), max(ids) - min(ids) + 1)
    return [(n.id, n.originator_id, n.originator_version) for n in notes if n.id in set(ids)]


def test_a_large_save_answers_the_ids_the_log_gives_its_events(
        services: Any, copies: list[int]) -> None:
    recorder = services.ledger.recorder
    events = stored_events(40)

    ids = list(recorder.insert_events(events))

    assert copies == [40]
    assert logged(recorder, ids) == [(i, e.originator_id, e.originator_version)
                                     for i, e in zip(ids, events, strict=True)]


def test_a_large_save_of_a_single_event_goes_in_by_copy_too(
        services: Any, copies: list[int]) -> None:
    recorder = services.ledger.recorder
    events = stored_events(1)

    ids = list(recorder.insert_events(events))

    assert copies == [1]
    assert logged(recorder, ids) == [(ids[0], events[0].originator_id, 1)]


class TestANewLog(LedgerRecorderSetup):
    def test_the_first_large_save_into_a_new_log_is_copied_and_answers_its_ids(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        recorder = self.create_recorder()  # its id sequence never called: no last value yet
        copies = counted_copies(monkeypatch)
        events = stored_events(40)

        given: list[Any] = []

        ids = list(recorder.insert_events(events, **{WHILE_COMMITTING_KWARG: given.append}))

        notes = recorder.select_notifications(1, 100)
        assert copies == [40]
        assert given == []  # no ids before the commit: they are looked up after it
        assert [(n.id, n.originator_version) for n in notes] == [
            (i, e.originator_version) for i, e in zip(ids, events, strict=True)]


def test_large_saves_racing_from_two_processes_get_their_own_ids_and_a_follower_skips_none(
        services: Any, own_ledger: Any, copies: list[int]) -> None:
    recorders = [services.ledger.recorder, own_ledger.recorder]
    head = recorders[0].max_notification_id() or 0
    batches = [[stored_events(40) for _ in range(5)] for _ in range(4)]
    stop = threading.Event()
    seen: list[int] = []

    def follow() -> None:  # as a projection runner: from its position, never looking back
        position = head
        while True:
            finished = stop.is_set()
            notes = recorders[0].select_notifications(position + 1, 1000)
            seen.extend(n.id for n in notes)
            position = notes[-1].id if notes else position
            if finished and not notes:
                return

    def write(writer: int) -> list[list[int]]:
        recorder = recorders[writer % 2]
        return [list(recorder.insert_events(batch)) for batch in batches[writer]]

    follower = threading.Thread(target=follow)
    follower.start()
    answered = run_together(*[lambda w=w: write(w) for w in range(4)])
    stop.set()
    follower.join(30)

    assert [a for a in answered if isinstance(a, Exception)] == []
    assert sum(copies) == 20 * 40  # every event by COPY (saves of one process may share one)
    for writer_batches, writer_ids in zip(batches, answered, strict=True):
        for batch, ids in zip(writer_batches, writer_ids, strict=True):
            assert logged(recorders[0], ids) == [(i, e.originator_id, e.originator_version)
                                                 for i, e in zip(ids, batch, strict=True)]
    every_id = sorted(i for writer_ids in answered for ids in writer_ids for i in ids)
    assert seen == every_id


def test_a_large_save_is_given_while_it_commits_the_ids_the_log_gives_its_events(
        services: Any, copies: list[int]) -> None:
    recorder = services.ledger.recorder
    events = stored_events(40)
    given: list[list[int]] = []

    ids = list(recorder.insert_events(events, **{WHILE_COMMITTING_KWARG: given.append}))

    assert copies == [40]
    assert given == [ids]
    assert logged(recorder, ids) == [(i, e.originator_id, e.originator_version)
                                     for i, e in zip(ids, events, strict=True)]


def test_each_save_of_a_large_group_is_given_its_own_ids_while_the_group_commits(
        services: Any, copies: list[int]) -> None:
    from runtime.group_commit import PendingSave

    recorder = services.ledger.recorder
    given: list[list[int]] = [[], []]
    group = [PendingSave(stored_events(30), {WHILE_COMMITTING_KWARG: given[0].extend}),
             PendingSave(stored_events(10), {}),
             PendingSave(stored_events(20), {WHILE_COMMITTING_KWARG: given[1].extend})]

    recorder._write_group(group)

    assert copies == [60]
    assert given == [list(group[0].ids or []), list(group[2].ids or [])]
    assert [len(ids) for ids in given] == [30, 20]
