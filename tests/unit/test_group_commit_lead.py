"""Who writes the next group (runtime.group_commit): the leader whose group was just written
takes over the transaction its successor began ahead, up to a number of groups in a row."""

import threading
import time
from typing import Any

from runtime.group_commit import GroupCommit, PendingSave


def two_groups(max_groups_led: int) -> list[tuple[int, Any, str]]:
    """(size, transaction, writing thread) of each group, when a second save queues while the
    first group commits and begins its transaction ahead."""
    written: list[tuple[int, Any, str]] = []
    second_queued = threading.Event()

    def write(group: list[PendingSave], prepared: Any, committing: Any) -> None:
        if prepared is None:  # the first group: its COMMIT goes out once the second is queued
            second_queued.wait(10)
            committing()
            deadline = time.monotonic() + 10
            while commit._ready is None and time.monotonic() < deadline:
                time.sleep(0.001)  # until the successor has parked its transaction
        written.append((len(group), prepared, threading.current_thread().name))
        for pending in group:
            pending.succeed([1])

    commit = GroupCommit(write, prepare=lambda: "begun", max_groups_led=max_groups_led)
    first = threading.Thread(target=commit.save, args=([],), name="first")
    first.start()
    second = threading.Thread(target=commit.save, args=([],), name="second")
    second.start()
    while len(commit._queue) < 1:
        time.sleep(0.001)
    second_queued.set()
    for thread in (first, second):
        thread.join(10)
    return written


def test_the_leader_writes_the_next_group_in_the_transaction_its_successor_began() -> None:
    assert two_groups(max_groups_led=8) == [(1, None, "first"), (1, "begun", "first")]


def test_a_leader_at_its_limit_hands_the_lead_back_with_the_transaction_begun() -> None:
    assert two_groups(max_groups_led=1) == [(1, None, "first"), (1, "begun", "second")]


def test_a_leader_whose_group_is_written_goes_on_with_saves_queued_meanwhile() -> None:
    threads: list[str] = []
    release = threading.Event()

    def write(group: list[PendingSave], prepared: Any, committing: Any) -> None:
        threads.append(threading.current_thread().name)
        release.wait(10)  # no COMMIT announced: nobody gets ready ahead
        for pending in group:
            pending.succeed([1])

    commit = GroupCommit(write)
    first = threading.Thread(target=commit.save, args=([],), name="first")
    first.start()
    while not threads:
        time.sleep(0.001)
    later = [threading.Thread(target=commit.save, args=([],), name=f"later-{n}") for n in range(3)]
    for thread in later:
        thread.start()
    while len(commit._queue) < 3:
        time.sleep(0.001)
    release.set()
    for thread in [first, *later]:
        thread.join(10)

    assert threads == ["first", "first"]
