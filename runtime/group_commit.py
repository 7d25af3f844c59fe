"""Group commit: concurrent saves written together in one transaction, each with its own answer.

Every save takes the event table's exclusive lock (so notification ids follow commit order,
which the projection runners rely on), and that lock caps single-save throughput. Here a save
that arrives while nothing is being written writes its own group at once (a lone save pays no
hand-over between threads) while later arrivals queue. Whatever queued meanwhile is then
written by the group commit's *writer thread*, group after group, until the queue is empty:
each group's write starts as soon as the one before it is answered. (Until 2026-11-28 the
oldest queued save was woken to lead the next group: on 8 threads its wake-up took 140-200 us
per group, the median gap between one group's answer and the next group's message, during
which nothing was written; with the writer thread, 3 us. In runs alternating the two in one
process: 16 % more commands per second on 8 threads, 10 % on 32, the same on one.) The writer
thread leaves after ``WRITER_IDLE_SECONDS`` without work, so an idle ledger keeps no thread.

Each save in a group keeps its own outcome: its notification ids, or its own error. The
writer first tries the whole group at once; if any save breaks a unique rule (a racing
version, a reused idempotency key), it writes the group again with a savepoint per save, so
only the saves that broke a rule fail and the others commit.
"""

import _thread
import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import StoredEvent


class Wake:
    """A one-way signal for one waiting thread: a bare lock, held until :meth:`set` releases
    it. A ``threading.Event`` takes a condition, a second lock and a list of waiters, Python
    code run while the caller holds the interpreter lock: 13 us less CPU per command at 8
    threads (``bench/command.py``'s workload, runs alternating in one process)."""

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._lock.acquire()

    def set(self) -> None:
        with contextlib.suppress(RuntimeError):  # set already
            self._lock.release()

    def wait(self, timeout: float = -1) -> bool:
        """Wait until :meth:`set` (for at most ``timeout`` seconds, unless negative); whether
        it was set. Waking re-arms it: the next wait waits for the next set."""
        return self._lock.acquire(timeout=timeout)


@dataclass(eq=False)
class PendingSave:
    """One caller's save waiting in the queue, and, once written, its outcome."""

    stored_events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    ids: Sequence[int] | None = None
    error: BaseException | None = None
    finished: bool = False
    leads: bool = False
    wake: Wake = field(default_factory=Wake)

    def succeed(self, ids: Sequence[int]) -> None:
        self.ids, self.finished = ids, True
        self.wake.set()

    def fail(self, error: BaseException) -> None:
        self.error, self.finished = error, True
        self.wake.set()


# A save's kwarg: called with its events' ids while its group's COMMIT runs (while_committing).
WHILE_COMMITTING_KWARG = "while_committing"


def while_committing(group: Sequence[PendingSave], ids: Sequence[int]) -> None:
    """Give each save of ``group`` that asked for it (``WHILE_COMMITTING_KWARG``) the ids its
    events will have if the group commits (``ids``, in the order of the group's events), while
    the server commits: the saver gets its answer ready instead of waiting idle (none if the
    ids are not known yet). The ids are not final until the commit is answered."""
    if not ids:
        return
    start = 0
    for pending in group:
        end = start + len(pending.stored_events)
        prepare = pending.kwargs.get(WHILE_COMMITTING_KWARG)
        if prepare is not None:
            prepare(ids[start:end])
        start = end


WriteGroup = Callable[[list[PendingSave]], None]
#: How long the writer thread waits for more work before it leaves.
WRITER_IDLE_SECONDS = 1.0


class GroupCommit:
    """Batches concurrent saves. ``write_group(group)`` must give every save in ``group`` an
    outcome."""

    def __init__(self, write_group: WriteGroup, max_group: int = 256) -> None:
        self._write_group = write_group
        self._max_group = max_group
        self._mutex = threading.Lock()
        self._queue: list[PendingSave] = []
        self._leading = False  # a group is being written (by a saver or the writer thread)
        self._writer: threading.Thread | None = None
        self._writer_wake = Wake()

    def save(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Write these events (in some group) and answer their notification ids."""
        pending = PendingSave(stored_events, kwargs)
        with self._mutex:
            self._queue.append(pending)
            if not self._leading:
                self._leading = pending.leads = True
        if pending.leads:
            self._lead()
        else:
            pending.wake.wait()
        if pending.error is not None:
            raise pending.error
        return pending.ids

    def _lead(self) -> None:
        """Write the queue's first group, then leave what queued meanwhile to the writer
        thread."""
        self._write_next()
        with self._mutex:
            if not self._queue:
                self._leading = False
            elif self._writer is not None and self._writer.is_alive():
                self._writer_wake.set()
            else:  # none yet, gone idle, or not in this process (a fork copies no thread)
                self._writer = threading.Thread(target=self._write_queued, daemon=True,
                                                 name="group-commit-writer")
                self._writer_wake = Wake()
                self._writer.start()

    def _write_queued(self) -> None:
        """The writer thread: the queue, group after group, until it is empty; then wait for
        the next hand-over, or leave after ``WRITER_IDLE_SECONDS`` without one."""
        wake = self._writer_wake
        while True:
            while self._write_next():
                pass
            if not wake.wait(WRITER_IDLE_SECONDS):
                with self._mutex:
                    if not wake.wait(0):  # handed work as the wait ended: stay
                        self._writer = None
                        return

    def _write_next(self) -> bool:
        """Write the queue's first group; False, with the lead given up, if it was empty."""
        with self._mutex:
            group, self._queue = self._queue[:self._max_group], self._queue[self._max_group:]
            if not group:
                self._leading = False
                return False
        try:
            self._write_group(group)
        except BaseException as error:  # the writer's own failure fails its whole group
            for pending in group:
                if not pending.finished:
                    pending.fail(error)
        finally:
            for pending in group:
                if not pending.finished:
                    pending.fail(RuntimeError("the group writer gave this save no outcome"))
        return True
