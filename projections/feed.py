"""One reader, many read models: the log is read once per batch and fed to every projection.

:class:`LogFeed` reads a window of the log for the topics of all the read models it feeds
(from the lowest of their positions), decodes each event once, and applies the window to each
read model in a transaction of its own. :class:`LogFollower` keeps doing that as the log grows:
it takes the advisory lock of each read model it can (one active runner per read model, across
processes), waits for the event store's NOTIFY when caught up, and lets a burst of
notifications settle (debounce) before reading. :class:`Supervisor` runs it in a thread and
restarts it, with backoff, whatever stopped it (the database going away included).
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from psycopg import Connection
from psycopg.sql import SQL, Identifier

from projections.catalog import CATALOG_SCHEMA, generation_schema, lock_key, use_schema
from projections.dead_letters import error_text
from projections.log_window import DecodedEvents, read_window
from projections.runner import BatchProjector, RawEvent

log = logging.getLogger(__name__)


Window = tuple[list[RawEvent], int, int, DecodedEvents]


class WindowSource(Protocol):
    """Windows of the log read (and decoded) elsewhere: (rows, end, head, events) past
    ``after``, as :func:`~projections.log_window.read_window` gives them."""

    def window(self, conn: Connection[Any], after: int) -> Window: ...


@dataclass(frozen=True)
class FeedOutcome:
    read: int
    position: int
    head: int


class LogFeed:
    """Feeds a set of read models from one reading of the log; ``schemas`` pins a read model
    to a generation being rebuilt instead of its live one."""

    def __init__(self, projectors: Sequence[BatchProjector], schemas: dict[str, tuple[int, str]]
                 | None = None, batch_size: int | None = None,
                 windows: "WindowSource | None" = None) -> None:
        self.projectors = list(projectors)
        self.schemas = schemas or {}
        self.batch_size = batch_size or max(p.batch_size for p in self.projectors)
        self.positions: dict[str, int] = {}
        self.topics = frozenset().union(*(p.topics for p in self.projectors))
        self.windows = windows

    def feed_once(self, conn: Connection[Any]) -> FeedOutcome:
        """Read one window past the lowest known position and apply it to every read model."""
        if len(self.positions) < len(self.projectors):
            self.positions = {p.name: self._position(conn, p) for p in self.projectors}
        after = min(self.positions.values())
        if self.windows is not None:
            rows, end, head, events = self.windows.window(conn, after)
        else:
            with conn.transaction(), conn.cursor() as cur:
                rows, end, head = read_window(cur, self.projectors[0].events_sql(), after,
                                              self.topics, self.batch_size, alone=True)
            events = DecodedEvents(self.projectors[0].decode)
        if end <= after:
            return FeedOutcome(0, after, head)
        for projector in self.projectors:
            if self.positions[projector.name] < end:
                self.positions[projector.name] = self._apply(conn, projector, rows, end, events)
        return FeedOutcome(len(rows), min(self.positions.values()), head)

    def _apply(self, conn: Connection[Any], projector: BatchProjector, rows: list[RawEvent],
               end: int, events: DecodedEvents) -> int:
        pinned = self.schemas.get(projector.name)
        if pinned is None:
            with projector.live(conn) as (cur, generation):
                return projector.apply_window(conn, cur, generation, rows, end, events)[2]
        with conn.transaction(), conn.cursor() as cur:
            use_schema(cur, pinned[1])
            return projector.apply_window(conn, cur, pinned[0], rows, end, events)[2]

    def _position(self, conn: Connection[Any], projector: BatchProjector) -> int:
        pinned = self.schemas.get(projector.name)
        with conn.transaction(), conn.cursor() as cur:
            if pinned is None:  # held until its position is read (a drop waits for it)
                cur.execute(SQL("SELECT {}.live_generation(%s)").format(
                    Identifier(CATALOG_SCHEMA)), (projector.name,))
                row = cur.fetchone()
                schema = (generation_schema(projector.name, int(row[0]))
                          if row and row[0] is not None else None)
            else:
                schema = pinned[1]
            if schema is None:
                return 0
            cur.execute(SQL("SELECT position FROM {}.tracking").format(Identifier(schema)))
            found = cur.fetchone()
            return int(found[0]) if found else 0

    def run_to_head(self, conn: Connection[Any],
                    progress: Callable[[int, int], None] | None = None) -> int:
        """Feed until every read model has reached the log head; returns events read."""
        total = 0
        while True:
            outcome = self.feed_once(conn)
            total += outcome.read
            if progress:
                progress(outcome.position, outcome.head)
            if outcome.position >= outcome.head:
                return total


class LogFollower:
    """Follows the log into every read model whose runner lock this process can take."""

    def __init__(self, projectors: Sequence[BatchProjector], debounce: float = 0.02,
                 idle_timeout: float = 1.0, lock_retry: float = 2.0) -> None:
        self.projectors = list(projectors)
        self.debounce = debounce
        self.idle_timeout = idle_timeout
        self.lock_retry = lock_retry
        self.held: list[str] = []

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projectors]

    def connect(self, autocommit: bool = False) -> Connection[Any]:
        return psycopg.connect(self.projectors[0].conninfo, autocommit=autocommit,
                               application_name="vcio-projection-runner")

    def run(self, stop: threading.Event) -> None:
        """Follow the log until ``stop`` is set; raises whatever stops it (the supervisor
        restarts it). Closing the lock connection releases the read models' locks."""
        self.held = []
        with self.connect(autocommit=True) as lock_conn, \
                self.connect(autocommit=True) as listen_conn, self.connect() as conn:
            listen_conn.execute(SQL("LISTEN {}").format(
                Identifier(self.projectors[0].events_table)))
            feed: LogFeed | None = None
            next_try = 0.0
            errors_cleared = False
            while not stop.is_set():
                if len(self.held) < len(self.projectors) and time.monotonic() >= next_try:
                    if self._take_locks(lock_conn):
                        feed = LogFeed([p for p in self.projectors if p.name in self.held])
                    next_try = time.monotonic() + self.lock_retry
                if feed is None:
                    stop.wait(self.lock_retry)
                    continue
                outcome = feed.feed_once(conn)
                if not errors_cleared:  # it applies batches again: no longer failing
                    self._clear_errors(conn)
                    errors_cleared = True
                if outcome.position < outcome.head:
                    continue
                self._wait_for_news(listen_conn)

    def _take_locks(self, lock_conn: Connection[Any]) -> bool:
        """Take the lock of each read model not followed yet; returns whether any was taken."""
        taken = False
        for name in self.names:
            if name in self.held:
                continue
            row = lock_conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                    (lock_key(name),)).fetchone()
            if row and row[0]:
                self.held.append(name)
                taken = True
        return taken

    def _wait_for_news(self, listen_conn: Connection[Any]) -> None:
        """Wait for a NOTIFY (or the idle timeout), then let a burst of them settle."""
        woken = False
        for _ in listen_conn.notifies(timeout=self.idle_timeout, stop_after=1):
            woken = True
        if woken and self.debounce > 0:
            time.sleep(self.debounce)
            for _ in listen_conn.notifies(timeout=0.0):
                pass

    def _clear_errors(self, conn: Connection[Any]) -> None:
        with conn.transaction():
            conn.execute(SQL("UPDATE {}.registry SET runner_error = NULL, runner_error_at = NULL"
                             " WHERE name = ANY(%s) AND runner_error IS NOT NULL").format(
                Identifier(CATALOG_SCHEMA)), (self.held,))

    def record_error(self, error: BaseException) -> None:
        """Note on the read models this runner followed what stopped it (when the database
        can be reached at all)."""
        names = self.held or self.names
        try:
            with self.connect(autocommit=True) as conn:
                conn.execute(SQL("UPDATE {}.registry SET runner_error = %s, runner_error_at = now()"
                                 " WHERE name = ANY(%s)").format(Identifier(CATALOG_SCHEMA)),
                             (error_text(error), names))
        except psycopg.Error as failure:
            log.warning("projection runner: could not record its failure: %r", failure)


def supervise(follower: LogFollower, stop: threading.Event, initial_backoff: float = 0.5,
              max_backoff: float = 30.0, healthy_after: float = 30.0,
              on_restart: Callable[[], None] | None = None) -> None:
    """Run ``follower`` in this thread until ``stop`` is set, restarting it with backoff
    (doubling up to ``max_backoff``; back to the start after a run of ``healthy_after``)."""
    backoff = initial_backoff
    while not stop.is_set():
        started = time.monotonic()
        try:
            follower.run(stop)
            continue
        except Exception as error:  # noqa: BLE001 - recorded, then the runner restarts
            log.exception("projection runner stopped; restarting in %.1f s", backoff)
            follower.record_error(error)
        if time.monotonic() - started > healthy_after:
            backoff = initial_backoff
        if on_restart is not None:
            on_restart()
        stop.wait(backoff)
        backoff = min(backoff * 2, max_backoff)


class Supervisor:
    """Runs a follower in a daemon thread of its own, under :func:`supervise`."""

    def __init__(self, follower: LogFollower, initial_backoff: float = 0.5,
                 max_backoff: float = 30.0) -> None:
        self.follower = follower
        self.stop = threading.Event()
        self.restarts = 0
        self.thread = threading.Thread(
            target=supervise, name="projection-runner", daemon=True,
            args=(follower, self.stop, initial_backoff, max_backoff),
            kwargs={"on_restart": self._count_restart})

    def _count_restart(self) -> None:
        self.restarts += 1

    def start(self) -> None:
        self.thread.start()

    def close(self, timeout: float = 10.0) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout)
