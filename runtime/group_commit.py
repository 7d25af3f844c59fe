"""Group commit: concurrent saves written together in one transaction, each with its own answer.

Every save takes the event table's exclusive lock (so notification ids follow commit order,
which the projection runners rely on), and that lock caps single-save throughput. Here the
first thread to arrive becomes the *leader*: it takes everything queued so far and writes it
in one transaction (one lock, one commit) while later arrivals queue for the next group. As
soon as its transaction holds the table lock (:meth:`GroupCommit.handoff`, called by the writer),
the leader hands leadership to the oldest queued save: the next group is sent at once on another
connection and waits for the lock in the server, so it is inserted the moment this one commits,
with no round trip or thread wake-up in between (its ids still follow this group's, since it
waits for the same lock). A writer that never calls ``handoff`` hands over when its group is
written.

Each save in a group keeps its own outcome: its notification ids, or its own error. The
writer first tries the whole group at once; if any save breaks a unique rule (a racing
version, a reused idempotency key), it writes the group again with a savepoint per save, so
only the saves that broke a rule fail and the others commit.

A leader does not write at once while commands of this process are still deciding (announced
with :meth:`GroupCommit.deciding`): each group costs one WAL flush under the table lock, so a
group written while half the writers are a moment from saving leaves them for the next flush.
It waits for them, at most ``gather_seconds``; a command waiting for an aggregate's lock does not
count as deciding (it may be waiting for a save of this very group), and with no other command
deciding (one writer) nothing waits.
"""

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import StoredEvent


@dataclass(eq=False)
class PendingSave:
    """One caller's save waiting in the queue, and, once written, its outcome."""

    stored_events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    ids: Sequence[int] | None = None
    error: BaseException | None = None
    finished: bool = False
    leads: bool = False
    wake: threading.Event = field(default_factory=threading.Event)

    def succeed(self, ids: Sequence[int]) -> None:
        self.ids, self.finished = ids, True
        self.wake.set()

    def fail(self, error: BaseException) -> None:
        self.error, self.finished = error, True
        self.wake.set()


WriteGroup = Callable[[list[PendingSave]], None]


class GroupCommit:
    """Batches concurrent saves; ``write_group`` must give every save in a group an outcome."""

    def __init__(self, write_group: WriteGroup, max_group: int = 256,
                 gather_seconds: float = 0.003) -> None:
        self._write_group = write_group
        self._max_group = max_group
        self._gather_seconds = gather_seconds
        self._mutex = threading.Lock()
        self._changed = threading.Condition(self._mutex)
        self._queue: list[PendingSave] = []
        self._leading = False
        self._deciding = 0
        self._thread = threading.local()

    early = True

    def handoff(self, final: bool = False) -> None:
        """Called by the writer once the group it writes holds the table lock: the next group
        may be sent now. Only the leader's first call counts; from other threads it does
        nothing."""
        if not getattr(self._thread, "leading", False) or not (final or self.early):
            return
        self._thread.leading = False
        with self._mutex:
            if self._queue:
                successor = self._queue[0]
                successor.leads = True
                successor.wake.set()
            else:
                self._leading = False

    @contextmanager
    def deciding(self) -> Iterator[None]:
        """While inside, this thread's command is deciding and is likely to save soon; its
        :meth:`save`, or leaving, ends that. Re-entered (a retried decision), it counts once."""
        if getattr(self._thread, "deciding", False):
            yield
            return
        self._set_deciding(True)
        try:
            yield
        finally:
            self._set_deciding(False)

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """While inside, this thread's deciding command is waiting for something (an
        aggregate's lock) that a save in the queue may hold: leaders do not wait for it."""
        if not getattr(self._thread, "deciding", False):
            yield
            return
        self._set_deciding(False)
        try:
            yield
        finally:
            self._set_deciding(True)

    def _set_deciding(self, deciding: bool) -> None:
        with self._mutex:
            if getattr(self._thread, "deciding", False) == deciding:
                return
            self._thread.deciding = deciding
            self._deciding += 1 if deciding else -1
            self._changed.notify_all()

    def save(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Write these events (in some group) and answer their notification ids."""
        pending = PendingSave(stored_events, kwargs)
        with self._mutex:
            if getattr(self._thread, "deciding", False):  # its decision is made
                self._thread.deciding = False
                self._deciding -= 1
            self._queue.append(pending)
            self._changed.notify_all()
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
            deadline = time.monotonic() + self._gather_seconds
            while self._deciding > 0 and len(self._queue) < self._max_group:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            group, self._queue = self._queue[:self._max_group], self._queue[self._max_group:]
        self._thread.leading = True
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
            self.handoff(True)
