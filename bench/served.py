"""The real app served the way production serves it, for the HTTP benchmarks (not a benchmark
itself).

``served(database)`` runs ``vcio serve`` in a process of its own on a free loopback port against
the benchmark's database (its URL; the embedded PostgreSQL stays the benchmark's): uvicorn over
``build_app``, the projection runner as its child process, as in production; only the annual
scheduler is left out (it would record plans while the clock runs). The load is generated in the
benchmark's process, so client and server no longer share one GIL. The server's log goes to a
file beside the data; its tail is printed if the server does not come up.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: "subprocess.Popen[bytes]", log: Path) -> None:
    """Poll ``/health`` until it answers 200; fail with the server's log if it exits or never does."""
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:]
    raise RuntimeError(f"the served app did not come up (exit status {process.poll()}):\n{tail}")


@contextmanager
def served(database: Any, log_dir: Path, projections: str = "all") -> Iterator[str]:
    """Serve the app on ``database`` (a ``runtime.database.Database``) in its own process, with
    its runner child following ``projections``, until the block ends; yields its base URL."""
    port = free_port()
    log = log_dir / "served.log"
    env = {**os.environ, "VCIO_DATABASE_URL": database.conninfo,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "runtime.cli", "serve", "--port", str(port), "--no-scheduler",
             "--projections", projections],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)  # unwinds like Ctrl-C: stops its runner child too
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
