"""The group commit's writer thread: it writes what queued behind a saver's own group."""

import threading
import time

import pytest

from runtime import group_commit
from runtime.group_commit import GroupCommit, PendingSave


class HeldWriter:
    """A ``write_group`` that holds the first group until ``queued`` saves wait behind it, and
    notes which thread wrote each group and how large it was."""

    def __init__(self, queued: int) -> None:
        self.queued = queued
        self.written: list[tuple[str, int]] = []
        self.commit = GroupCommit(self)

    def __call__(self, group: list[PendingSave]) -> None:
        if not self.written:
            deadline = time.monotonic() + 10
            while len(self.commit._queue) < self.queued and time.monotonic() < deadline:
                time.sleep(0.001)
        self.written.append((threading.current_thread().name, len(group)))
        for pending in group:
            pending.succeed([len(self.written)])

    def busy_spell(self) -> list[object]:
        """One save written alone while ``queued`` more arrive; every save's answer."""
        answers: list[object] = []
        threads = [threading.Thread(target=lambda: answers.append(self.commit.save([])),
                                    name=f"saver-{n}") for n in range(self.queued + 1)]
        threads[0].start()
        while not self.commit._leading:
            time.sleep(0.001)
        for thread in threads[1:]:
            thread.start()
        for thread in threads:
            thread.join(10)
        return answers


def test_saves_queued_behind_a_group_are_written_by_the_writer_thread_not_by_a_saver() -> None:
    writer = HeldWriter(queued=4)

    answers = writer.busy_spell()

    assert writer.written == [("saver-0", 1), ("group-commit-writer", 4)]
    assert sorted(map(str, answers)) == ["[1]", "[2]", "[2]", "[2]", "[2]"]


def test_the_writer_thread_leaves_when_idle_and_the_next_busy_spell_starts_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group_commit, "WRITER_IDLE_SECONDS", 0.02)
    writer = HeldWriter(queued=2)
    writer.busy_spell()
    first = writer.commit._writer
    deadline = time.monotonic() + 10
    while writer.commit._writer is not None and time.monotonic() < deadline:
        time.sleep(0.005)
    gone = writer.commit._writer
    writer.written.clear()

    answers = writer.busy_spell()

    assert first is not None and not first.is_alive() and gone is None
    assert writer.written == [("saver-0", 1), ("group-commit-writer", 2)]
    assert len(answers) == 3


def test_a_writer_thread_that_is_not_running_is_replaced_rather_than_waited_for() -> None:
    writer = HeldWriter(queued=3)
    dead = threading.Thread(target=lambda: None)
    dead.start()
    dead.join()
    writer.commit._writer = dead  # as a forked child sees its parent's writer thread

    answers = writer.busy_spell()

    assert writer.written == [("saver-0", 1), ("group-commit-writer", 3)]
    assert len(answers) == 4 and writer.commit._writer is not dead
