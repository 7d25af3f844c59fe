"""The runner process: follows the event log into every read model, off the request path.

``vcio project-all`` runs it; ``vcio serve`` keeps it running as a child process (never one
per API worker) through :class:`RunnerChild`, which starts it again, with backoff, whenever
it exits on its own (a crash, an out-of-memory kill, a SIGKILL). Several runner processes may
run at once: each read model is followed by one of them at a time (its advisory lock), and
the others stand by to take over; a child that died released its locks with its connections.
"""

import logging
import os
import subprocess
import sys
import threading
import time

from runtime.database import Database, open_database
from runtime.services import running_services
from runtime.settings import Settings
from runtime.streaming_cli import stop_on_signals

__all__ = ["RunnerChild", "run_projection_runner", "start_runner_process", "stop_on_signals",
           "stop_runner_process"]

log = logging.getLogger(__name__)


def run_projection_runner(settings: Settings, stop: threading.Event) -> None:
    """Follow the log into every read model until ``stop`` is set."""
    with open_database(settings) as database, running_services(settings, database) as services:
        services.start_projection_runners(debounce=settings.projection_debounce_seconds)
        log.info("projection runner following %d read models", len(services.projectors))
        stop.wait()


def start_runner_process(database: Database, projections: str = "all") -> subprocess.Popen[bytes] | None:
    """Start ``vcio project-all`` as a child process on ``database`` following ``projections``
    (none: no child; a Kafka-fed or separate runner process follows them instead)."""
    if projections.strip() == "none":
        return None
    env = {**os.environ, "VCIO_DATABASE_URL": database.conninfo, "VCIO_PROJECTIONS": projections}
    return subprocess.Popen([sys.executable, "-m", "runtime.cli", "project-all"], env=env)


def stop_runner_process(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RunnerChild:
    """Keeps a runner child process alive until :meth:`stop`: a watcher thread polls it and,
    when it has exited, starts a new one after a backoff (doubling from ``initial_backoff`` up
    to ``max_backoff``, back to the start after a child that ran ``healthy_after`` seconds)."""

    def __init__(self, database: Database, projections: str = "all", initial_backoff: float = 0.5,
                 max_backoff: float = 30.0, healthy_after: float = 30.0,
                 poll_interval: float = 0.2) -> None:
        self.database = database
        self.projections = projections
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.poll_interval = poll_interval
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="runner-child", daemon=True)

    def start(self) -> "RunnerChild":
        """Start the child (none when ``projections`` is ``none``) and its watcher."""
        self.process = start_runner_process(self.database, self.projections)
        if self.process is not None:
            self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop watching, then stop the child (terminate, then kill after ``timeout``)."""
        with self._lock:
            self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.process is not None:
            stop_runner_process(self.process, timeout)

    def _watch(self) -> None:
        backoff = self.initial_backoff
        while not self._stop.is_set():
            process, started = self.process, time.monotonic()
            if process is None:
                return
            while process.poll() is None:
                if self._stop.wait(self.poll_interval):
                    return
            if time.monotonic() - started >= self.healthy_after:
                backoff = self.initial_backoff
            log.warning("projection runner child %s exited with status %s; starting another"
                        " in %.1f s", process.pid, process.returncode, backoff)
            if self._stop.wait(backoff):
                return
            with self._lock:
                if self._stop.is_set():
                    return
                self.process = start_runner_process(self.database, self.projections)
                self.restarts += 1
            backoff = min(backoff * 2, self.max_backoff)
