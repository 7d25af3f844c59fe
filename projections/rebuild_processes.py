"""A rebuild's build phase in worker processes instead of threads.

Worker threads share one interpreter lock: a rebuild's Python work (decoding events, working
out rows) runs on one core however many workers there are, and it is most of the work.
Forked worker processes each build their share of the read models on a core of their own,
exactly as a worker thread builds it (same feed, same rebuild mode, same finish); each reads
and decodes the windows of its own read models' topics (a thread shares that with the others,
a process cannot), which costs less than it saves.

The parent follows their reports and stops them as it stops threads: through a stop event
they check between windows. A worker's failure comes back as the same exception when it can
be pickled, otherwise as a :class:`RebuildWorkerError` naming it.
"""

import gc
import multiprocessing
import pickle
from typing import Any

from projections.feed import LogFeed
from projections.rebuild_workers import Workers
from projections.runner import BatchProjector

#: How long a stopped worker process may take to leave before it is terminated.
STOP_SECONDS = 30.0
#: The cyclic garbage collector's thresholds in a worker process. A build allocates
#: objects by the million (decoded events, rows, in-memory maps) and frees nearly all of
#: them by reference counting; at Python's default (700, 10, 10) a worker spent about 6 us
#: per event in collections that found little, measured on a 100,000-event rebuild (0.59 s
#: of collections; 0.21 s at (20,000, 10, 10)). The memory a build keeps (the memo of the
#: audit timeline, the maps of reviews under way) is reached by the young collections of
#: the older generations again and again: on the 200,000-event log each worker spent
#: 0.40-0.60 s in 40 collections at (20,000, 10, 10), 0.00-0.10 s in 0-3 at these, timed
#: inside the collector (``gc.callbacks``), with the same growth of memory either way (peak
#: resident 44 and 25 MB over the 109 MB each worker started from).
#: Young cycles are still collected; a worker process only builds, then exits.
WORKER_GC_THRESHOLD = (100_000, 50, 1_000_000)


class RebuildWorkerError(RuntimeError):
    """A worker process failed with an exception that could not be sent back as it was."""


class _Reports:
    """The worker side of the report queue: an exception that cannot be pickled is sent as a
    :class:`RebuildWorkerError` (otherwise the queue drops it and the parent waits forever)."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue

    def put(self, report: tuple[int, Any]) -> None:
        worker, outcome = report
        if isinstance(outcome, BaseException):
            try:
                pickle.dumps(outcome)
            except Exception:  # noqa: BLE001 - replaced by a picklable one that names it
                outcome = RebuildWorkerError(repr(outcome))
        self.queue.put((worker, outcome))


class ProcessWorkers(Workers):
    """Feeds each group of read models to the log head in a forked process of its own."""

    def __init__(self, groups: list[list[BatchProjector]], schemas: dict[str, tuple[int, str]],
                 batch_size: int, in_memory: bool = False) -> None:
        super().__init__(groups, schemas, batch_size, in_memory)
        self.context = multiprocessing.get_context("fork")
        self.stop = self.context.Event()  # type: ignore[assignment]
        self.shared = None  # each process reads its own windows
        self.feeds = [LogFeed(group, schemas=schemas, batch_size=batch_size) for group in groups]
        self.queue = self.context.Queue()
        self.reports = self.queue  # type: ignore[assignment]

    def _spawn(self, worker: int, feed: LogFeed) -> Any:
        """The (not yet started) forked process that builds ``feed``'s group."""
        return self.context.Process(target=self._child, args=(worker, feed), daemon=True,
                                    name=f"rebuild-worker-{worker}")

    def _join(self, worker: Any) -> None:
        worker.join(STOP_SECONDS)
        if worker.is_alive():
            worker.terminate()
            worker.join()

    def _child(self, worker: int, feed: LogFeed) -> None:
        gc.set_threshold(*WORKER_GC_THRESHOLD)
        self.reports = _Reports(self.queue)  # type: ignore[assignment]
        self._work(worker, feed)
