"""Group commit: concurrent saves written together in one transaction, each with its own answer.

Every save takes the event table's exclusive lock (so notification ids follow commit order,
which the projection runners rely on), and that lock caps single-save throughput. Here the
first thread to arrive becomes the *leader*: it takes everything queued so far and writes it
in one transaction (one lock, one commit) while later arrivals queue for the next group. When
its group is written, the leader hands leadership to the oldest queued save, so no caller
writes for others for long. If a save is already queued when the group's COMMIT goes out, it
is told to lead at once: it gets its transaction ready (``prepare``: a connection, BEGIN and the
transaction id, a round trip) while the group before commits, then waits for that group to be
written and takes the queue as it is then, so groups stay as large as before while the round
trip leaves the path that writes groups one after another.

Each save in a group keeps its own outcome: its notification ids, or its own error. The
writer first tries the whole group at once; if any save breaks a unique rule (a racing
version, a reused idempotency key), it writes the group again with a savepoint per save, so
only the saves that broke a rule fail and the others commit.
"""

import threading
from collections.abc import Callable, Sequence
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


WriteGroup = Callable[[list[PendingSave], Any, Callable[[], None]], None]


class GroupCommit:
    """Batches concurrent saves. ``write_group(group, prepared, committing)`` must give every
    save in ``group`` an outcome, write it in ``prepared`` (what ``prepare()`` answered, or
    None) and call ``committing()`` as its COMMIT goes out."""

    def __init__(self, write_group: WriteGroup, max_group: int = 256,
                 prepare: Callable[[], Any] = lambda: None) -> None:
        self._write_group = write_group
        self._max_group = max_group
        self._prepare = prepare
        self._mutex = threading.Lock()
        self._queue: list[PendingSave] = []
        self._leading = False
        self._previous: threading.Event | None = None  # set once the group before is written

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
            previous, self._previous = self._previous, None
        prepared: Any = None
        prepare_error: BaseException | None = None
        if previous is not None:  # told to lead while the group before commits
            try:
                prepared = self._prepare()
            except BaseException as error:  # the group fails with it, and leadership moves on
                prepare_error = error
            previous.wait()
        with self._mutex:
            group, self._queue = self._queue[:self._max_group], self._queue[self._max_group:]
        written = threading.Event()
        successor_told = False

        def committing() -> None:
            nonlocal successor_told
            with self._mutex:
                if successor_told or not self._queue:
                    return
                successor_told = True
                self._previous = written
                self._wake_successor()

        try:
            if prepare_error is not None:
                raise prepare_error
            self._write_group(group, prepared, committing)
        except BaseException as error:  # the writer's own failure fails its whole group
            for pending in group:
                if not pending.finished:
                    pending.fail(error)
        finally:
            for pending in group:
                if not pending.finished:
                    pending.fail(RuntimeError("the group writer gave this save no outcome"))
            with self._mutex:
                written.set()
                if successor_told:
                    pass
                elif self._queue:
                    self._wake_successor()
                else:
                    self._leading = False

    def _wake_successor(self) -> None:
        """The oldest queued save leads the next group (called holding the mutex)."""
        successor = self._queue[0]
        successor.leads = True
        successor.wake.set()
