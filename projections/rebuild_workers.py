"""A rebuild's build phase shared between worker threads, each with its own connection.

A rebuild spends its time in two places: Python (decoding events, working out rows) and the
server (applying them). One connection does one at a time; two workers, each feeding its own
share of the read models from its own reading of the log, keep the server busy while Python
works (the driver releases the GIL while it waits for the server), and two backends use both
cores. Each read model is still built by one feed, in log order, into its own new generation
(created by its worker), exactly as a rebuild on one connection builds it; in rebuild mode the
worker's thread enters each of its read models'
:meth:`~projections.base.Projection.rebuilding` for the whole build, and the workers share
one reading and decoding of the log (:class:`SharedWindows`).

The read models are shared out by their expected work: the events of their topics in the log
times their :attr:`~projections.base.Projection.rebuild_cost` (the longest first, each to the
least loaded worker). Progress is reported from the calling thread, so a callback that raises
(an interruption) stops every worker before the caller cleans up.
"""

import queue
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from typing import Any

from psycopg import Connection
from psycopg.sql import SQL, Identifier

from projections.catalog import create_generation, use_schema
from projections.feed import FeedOutcome, LogFeed, Window, WindowSource
from projections.log_window import DecodedEvents, read_window
from projections.rows import fetch_value
from projections.runner import BatchProjector

Progress = Callable[[int, int], None]
Done = Callable[[Sequence[BatchProjector]], None]
#: Worker threads of a rebuild (this machine has two cores; more would only wait on them).
REBUILD_WORKERS = 2
#: Past this many events in the log, :func:`events_per_topic` counts a sample of about this many.
SAMPLE_EVENTS = 20_000


def events_per_topic(conn: Connection[Any], projector: BatchProjector,
                     sample: int = SAMPLE_EVENTS) -> dict[str, int]:
    """About how many events of each topic the log holds: they only weigh read models against
    each other (:func:`share_out`). A log of up to ``sample`` events is counted; a longer one
    in a sample of its pages holding about that many, scaled up to the log's size (counting
    every event of the 200,000-event benchmark log took 0.3 s, before any worker could
    start; the sample, 10 ms); a sample that finds nothing falls back to counting."""
    events = projector.events_sql()
    size = int(fetch_value(conn.execute(SQL("SELECT coalesce(max(notification_id), 0) FROM {}")
                                        .format(events)), "event log head"))
    if size > sample:
        rows = conn.execute(SQL("SELECT topic, count(*) FROM {} TABLESAMPLE SYSTEM (%s)"
                                " REPEATABLE (0) GROUP BY topic").format(events),
                            (100.0 * sample / size,)).fetchall()
        found = sum(int(count) for _, count in rows)
        if found:
            return {str(topic): round(int(count) * size / found) for topic, count in rows}
    rows = conn.execute(SQL("SELECT topic, count(*) FROM {} GROUP BY topic").format(
        events)).fetchall()
    return {str(topic): int(count) for topic, count in rows}


def worker_connection(projector: BatchProjector) -> Connection[Any]:
    """A build worker's connection, whose commits do not wait for the server's log to reach
    the disk (``synchronous_commit`` off for its session). What a worker commits is a new
    generation that nothing reads before the swap, and the swap commits on a connection that
    does wait: the log is flushed in order, so the swap's commit reaching the disk takes every
    earlier commit with it. A crash before the swap loses a generation that was never live
    (dropped by the next rebuild, as after any interruption). Measured on the 200,000-event
    log, alternating in one process (2026-11-28): with each worker waiting for about 280
    flushes (a commit per read model per window), the machine sat in I/O wait 0.3-5.0 s of a
    rebuild and both cores were busy 67-89 % of it; without the waits, 0.3-0.8 s and 87-89 %,
    and the rebuild ran at 12,350-15,484 events/s against 10,731-15,519 (medians 14,621 and
    13,428)."""
    conn = projector.connect()
    try:
        conn.execute("SET synchronous_commit = off")
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def analyze_generation(conn: Connection[Any], schema: str) -> None:
    """Give the planner statistics of a generation just built, before reads reach it: without
    them PostgreSQL guesses tiny tables and picks nested loops (the vCIO dashboard at 1,000
    clients took 3.9 s instead of 52 ms until autovacuum came round)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
        for (table,) in cur.fetchall():
            cur.execute(SQL("ANALYZE {}.{}").format(Identifier(schema), Identifier(table)))


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


class SharedWindows:
    """The log read and decoded once for every worker of a rebuild (each worker's own
    reading decoded every event again). Every worker asks for the windows of all the workers'
    topics, so from the same start they ask for the same windows: the first to ask reads and
    decodes one, the others wait for it and take it. A window is forgotten once every worker
    still building is past it; a worker ``lead`` windows ahead of the slowest waits for it
    (the slowest waits only for a window being read, so windows that differ cost a second
    reading, never a deadlock)."""

    def __init__(self, projectors: Sequence[BatchProjector], batch_size: int, readers: int,
                 stop: threading.Event, lead: int = 3) -> None:
        self.first, self.batch_size, self.stop, self.lead = projectors[0], batch_size, stop, lead
        self.topics = frozenset().union(*(p.topics for p in projectors))
        self.changed = threading.Condition()
        self.windows: dict[int, Window] = {}
        self.at: dict[int, int] = dict.fromkeys(range(readers), 0)
        self.reading: set[int] = set()

    def reader(self, number: int) -> "WindowSource":
        return _Reader(self, number)

    def take(self, reader: int, conn: Connection[Any], after: int) -> Window:
        with self.changed:
            self.at[reader] = after
            self._forget()
            while after not in self.windows and not self.stop.is_set() and (
                    after in self.reading or (len(self.windows) >= self.lead
                                              and after > min(self.at.values()))):
                self.changed.wait(0.05)
            found = self.windows.get(after)
            if found is not None:
                return found
            self.reading.add(after)
        try:
            with conn.transaction(), conn.cursor() as cur:
                rows, end, head = read_window(cur, self.first.events_sql(), after, self.topics,
                                              self.batch_size, alone=True)
            events = DecodedEvents(self.first.decode)
            for raw in rows:
                with suppress(Exception):  # a poison event: each read model dead-letters it
                    events.event(raw)
        finally:
            with self.changed:
                self.reading.discard(after)
                self.changed.notify_all()
        with self.changed:
            found = self.windows.setdefault(after, (rows, end, head, events))
            self.changed.notify_all()
        return found

    def leave(self, reader: int) -> None:
        with self.changed:
            self.at.pop(reader, None)
            self._forget()

    def _forget(self) -> None:
        slowest = min(self.at.values(), default=None)
        for after in [a for a in self.windows if slowest is None or a < slowest]:
            del self.windows[after]
        self.changed.notify_all()


@dataclass(frozen=True)
class _Reader:
    shared: SharedWindows
    number: int

    def window(self, conn: Connection[Any], after: int) -> Window:
        return self.shared.take(self.number, conn, after)


class Workers:
    """Feeds each group of read models to the log head in a thread of its own."""

    def __init__(self, groups: list[list[BatchProjector]], schemas: dict[str, tuple[int, str]],
                 batch_size: int, in_memory: bool = False) -> None:
        self.stop = threading.Event()
        self.in_memory, self.schemas = in_memory, schemas
        self.shared: SharedWindows | None = None
        if in_memory:
            self.shared = SharedWindows([p for g in groups for p in g], batch_size, len(groups),
                                        self.stop)
        self.feeds = [LogFeed(group, schemas=schemas, batch_size=batch_size,
                              windows=self.shared.reader(n) if self.shared else None)
                      for n, group in enumerate(groups)]
        self.reports: queue.Queue[tuple[int, FeedOutcome | BaseException | None]] = queue.Queue()

    def run(self, progress: Progress | None = None, done: Done | None = None) -> None:
        """Build every group to the log head; raises the first failure of any worker (or of
        ``progress`` or ``done``) once every worker has stopped. ``done`` is called, in the
        calling thread, with each group once its worker has built and finished it."""
        workers = [self._spawn(n, feed) for n, feed in enumerate(self.feeds)]
        for worker in workers:
            worker.start()
        try:
            self._follow(len(workers), progress, done)
        finally:
            self.stop.set()
            for worker in workers:
                self._join(worker)

    def _spawn(self, worker: int, feed: LogFeed) -> Any:
        """The (not yet started) thread that builds ``feed``'s group."""
        return threading.Thread(target=self._work, args=(worker, feed), daemon=True,
                                name=f"rebuild-worker-{worker}")

    def _join(self, worker: Any) -> None:
        worker.join()

    def _follow(self, running: int, progress: Progress | None, done: Done | None) -> None:
        positions: dict[int, int] = {n: 0 for n in range(running)}
        head = 0
        while running:
            worker, report = self.reports.get()
            if isinstance(report, BaseException):
                raise report
            if report is None:  # built and finished (a stopped worker stops this loop first)
                running -= 1
                if done is not None:
                    done(self.feeds[worker].projectors)
                continue
            positions[worker], head = report.position, max(head, report.head)
            if progress is not None:
                progress(min(positions.values()), head)

    def _work(self, worker: int, feed: LogFeed) -> None:
        failure: BaseException | None = None
        try:
            with worker_connection(feed.projectors[0]) as conn:
                self._create(feed.projectors, conn)
                with ExitStack() as modes:
                    if self.in_memory:
                        for projector in feed.projectors:
                            modes.enter_context(projector.projection.rebuilding())
                    built = self._build(worker, feed, conn)
                if self.shared is not None:
                    self.shared.leave(worker)
                if built:
                    self._finish(feed.projectors, conn)
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread, raised there
            failure = error
        if self.shared is not None:
            self.shared.leave(worker)
        self.reports.put((worker, failure))

    def _create(self, projectors: Sequence[BatchProjector], conn: Connection[Any]) -> None:
        """In the worker, beside the others: create the new generation of each of its read
        models, empty (``create_rebuild_tables`` in rebuild mode, else ``create_tables``), in
        one transaction. Created before the workers started, on one connection, this was
        0.16-0.19 s of a 200,000-event rebuild with one core busy."""
        with conn.transaction(), conn.cursor() as cur:
            for projector in projectors:
                generation, schema = self.schemas[projector.name]
                create_generation(cur, projector.name, generation)
                use_schema(cur, schema)
                if self.in_memory:
                    projector.projection.create_rebuild_tables(cur)
                else:
                    projector.projection.create_tables(cur)

    def _build(self, worker: int, feed: LogFeed, conn: Connection[Any]) -> bool:
        """Feed the group to the log head; False when stopped before."""
        while not self.stop.is_set():
            outcome = feed.feed_once(conn)
            self.reports.put((worker, outcome))
            if outcome.position >= outcome.head:
                return True
        return False

    def _finish(self, projectors: Sequence[BatchProjector], conn: Connection[Any]) -> None:
        """In the worker, beside the others: create what rebuild mode left out
        (:meth:`~projections.base.Projection.finish_rebuild`) and give each new generation
        planner statistics."""
        for projector in projectors:
            if self.stop.is_set():
                return
            schema = self.schemas[projector.name][1]
            if self.in_memory:
                with conn.transaction(), conn.cursor() as cur:
                    use_schema(cur, schema)
                    projector.projection.finish_rebuild(cur)
            analyze_generation(conn, schema)
