"""What a rebuild's worker process sends back to the parent must survive pickling."""

import pickle
import queue
from typing import Any

from projections.rebuild_processes import RebuildWorkerError, _Reports


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
