"""A rebuild's build phase shared between worker threads, each with its own connection.

A rebuild spends its time in two places: Python (decoding events, working out rows) and the
server (applying them). One connection does one at a time; two workers, each feeding its own
share of the read models from its own reading of the log, keep the server busy while Python
works (the driver releases the GIL while it waits for the server), and two backends use both
cores. Each read model is still built by one feed, in log order, into its own new generation,
exactly as a rebuild on one connection builds it; in rebuild mode the worker's thread enters
each of its read models' :meth:`~projections.base.Projection.rebuilding` for the whole build.

The read models are shared out by their expected work: the events of their topics in the log
times their :attr:`~projections.base.Projection.rebuild_cost` (the longest first, each to the
least loaded worker). Progress is reported from the calling thread, so a callback that raises
(an interruption) stops every worker before the caller cleans up.
"""

import queue
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL

from projections.feed import FeedOutcome, LogFeed
from projections.runner import BatchProjector

Progress = Callable[[int, int], None]
#: Worker threads of a rebuild (this machine has two cores; more would only wait on them).
REBUILD_WORKERS = 2


def events_per_topic(conn: Connection[Any], projector: BatchProjector) -> dict[str, int]:
    """How many events of each topic the log holds."""
    rows = conn.execute(SQL("SELECT topic, count(*) FROM {} GROUP BY topic").format(
        projector.events_sql())).fetchall()
    return {str(topic): int(count) for topic, count in rows}


def share_out(projectors: Sequence[BatchProjector], counts: dict[str, int],
              workers: int) -> list[list[BatchProjector]]:
    """The read models in at most ``workers`` groups of about equal expected work."""
    def work(projector: BatchProjector) -> float:
        events = sum(counts.get(topic, 0) for topic in projector.topics)
        return (events + 1) * projector.projection.rebuild_cost

    loads = [0.0] * workers
    groups: list[list[BatchProjector]] = [[] for _ in range(workers)]
    for projector in sorted(projectors, key=work, reverse=True):
        least = loads.index(min(loads))
        loads[least] += work(projector)
        groups[least].append(projector)
    return [group for group in groups if group]


class Workers:
    """Feeds each group of read models to the log head in a thread of its own."""

    def __init__(self, groups: list[list[BatchProjector]], schemas: dict[str, tuple[int, str]],
                 batch_size: int, in_memory: bool = False) -> None:
        self.feeds = [LogFeed(group, schemas=schemas, batch_size=batch_size) for group in groups]
        self.in_memory = in_memory
        self.stop = threading.Event()
        self.reports: queue.Queue[tuple[int, FeedOutcome | BaseException | None]] = queue.Queue()

    def run(self, progress: Progress | None = None) -> None:
        """Build every group to the log head; raises the first failure of any worker (or of
        ``progress``) once every worker has stopped."""
        threads = [threading.Thread(target=self._work, args=(n, feed), daemon=True,
                                    name=f"rebuild-worker-{n}")
                   for n, feed in enumerate(self.feeds)]
        for thread in threads:
            thread.start()
        try:
            self._follow(len(threads), progress)
        finally:
            self.stop.set()
            for thread in threads:
                thread.join()

    def _follow(self, running: int, progress: Progress | None) -> None:
        positions: dict[int, int] = {n: 0 for n in range(running)}
        head = 0
        while running:
            worker, report = self.reports.get()
            if isinstance(report, BaseException):
                raise report
            if report is None:
                running -= 1
                continue
            positions[worker], head = report.position, max(head, report.head)
            if progress is not None:
                progress(min(positions.values()), head)

    def _work(self, worker: int, feed: LogFeed) -> None:
        failure: BaseException | None = None
        try:
            with ExitStack() as modes, feed.projectors[0].connect() as conn:
                if self.in_memory:
                    for projector in feed.projectors:
                        modes.enter_context(projector.projection.rebuilding())
                while not self.stop.is_set():
                    outcome = feed.feed_once(conn)
                    self.reports.put((worker, outcome))
                    if outcome.position >= outcome.head:
                        break
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread, raised there
            failure = error
        self.reports.put((worker, failure))
