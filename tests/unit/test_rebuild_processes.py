"""What a rebuild's worker process sends back to the parent must survive pickling."""

import gc
import pickle
import queue
from typing import Any

from projections.rebuild_processes import (
    WORKER_GC_THRESHOLD,
    ProcessWorkers,
    RebuildWorkerError,
    _Reports,
)


class Unpicklable(Exception):
    def __init__(self, handle: Any) -> None:
        super().__init__("the worker's connection went away")
        self.handle = handle


def test_an_error_that_cannot_be_pickled_is_sent_as_a_rebuild_worker_error_naming_it() -> None:
    sent: queue.Queue[Any] = queue.Queue()
    reports = _Reports(sent)

    reports.put((1, Unpicklable(lambda: None)))

    worker, error = sent.get_nowait()
    assert worker == 1 and isinstance(error, RebuildWorkerError)
    assert "connection went away" in str(error)
    pickle.dumps(error)


def test_an_error_that_can_be_pickled_is_sent_as_it_is() -> None:
    sent: queue.Queue[Any] = queue.Queue()
    reports = _Reports(sent)

    reports.put((0, ValueError("bad window")))

    assert type(sent.get_nowait()[1]) is ValueError


class GcReportingWorkers(ProcessWorkers):
    """Process workers whose build only reports the collector's thresholds in the worker."""

    def _work(self, worker: int, feed: Any) -> None:
        self.reports.put((worker, gc.get_threshold()))


def test_a_worker_process_collects_garbage_less_often_than_its_parent() -> None:
    parent = gc.get_threshold()
    workers = GcReportingWorkers([], {}, 10)
    child = workers._spawn(0, None)  # type: ignore[arg-type]

    child.start()
    reported = workers.queue.get(timeout=30)
    workers._join(child)

    assert reported == (0, WORKER_GC_THRESHOLD)
    assert gc.get_threshold() == parent != WORKER_GC_THRESHOLD
