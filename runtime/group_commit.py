"""Group commit: concurrent saves written together in one transaction, each with its own answer.

Every save takes the event table's exclusive lock (so notification ids follow commit order,
which the projection runners rely on), and that lock caps single-save throughput. Here the
first thread to arrive becomes the *leader*: it takes everything queued so far and writes it
in one transaction (one lock, one commit) while later arrivals queue for the next group. When
its group is written, the leader hands leadership to the oldest queued save, so no caller
writes for others for long. (Until a group's whole transaction became one message, BEGIN
included, that save was told to lead as the COMMIT went out, to begin its transaction
meanwhile; with nothing left to begin ahead it is woken once, when the group is written.)

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

    def wait(self) -> None:
        self._lock.acquire()


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


class GroupCommit:
    """Batches concurrent saves. ``write_group(group)`` must give every save in ``group`` an
    outcome."""

    def __init__(self, write_group: WriteGroup, max_group: int = 256) -> None:
        self._write_group = write_group
        self._max_group = max_group
        self._mutex = threading.Lock()
        self._queue: list[PendingSave] = []
        self._leading = False

    def save(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Write these events (in some group) and answer their notification ids."""
        pending = PendingSave(stored_events, kwargs)
        with self._mutex:
            self._queue.append(pending)
            if not self._leading:
                self._leading = pending.leads = True
        if not pending.leads:
            pending.wake.wait()
        if not pending.finished:  # woken to lead: the oldest save leads the next group
            self._lead()
        if pending.error is not None:
            raise pending.error
        return pending.ids

    def _lead(self) -> None:
        with self._mutex:
            group, self._queue = self._queue[:self._max_group], self._queue[self._max_group:]
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
            with self._mutex:
                if self._queue:  # the oldest queued save leads the next group
                    successor = self._queue[0]
                    successor.leads = True
                    successor.wake.set()
                else:
                    self._leading = False
