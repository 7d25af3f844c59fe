"""The runner process: follows the event log into every read model, off the request path.

``vcio project-all`` runs it; ``vcio serve`` starts it as a child process (never one per API
worker). Several runner processes may run at once: each read model is followed by one of
them at a time (its advisory lock), and the others stand by to take over.
"""

import logging
import os
import subprocess
import sys
import threading

from runtime.database import Database, open_database
from runtime.services import running_services
from runtime.settings import Settings
from runtime.streaming_cli import stop_on_signals

__all__ = ["run_projection_runner", "start_runner_process", "stop_on_signals", "stop_runner_process"]

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
