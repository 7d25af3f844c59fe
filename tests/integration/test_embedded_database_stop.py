"""SIGTERM stops the embedded PostgreSQL with the process that started it (as Ctrl-C does), and a
handle registry left by a process killed earlier is repaired on the next start."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.database import HANDLE_REGISTRY, forget_dead_handles, process_exists

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Readable by the embedded server's own system user (pytest's tmp_path is private to root)."""
    path = Path(tempfile.gettempdir()) / f"vcio-stop-{uuid.uuid4().hex[:8]}"
    path.mkdir(mode=0o755)
    yield path
    subprocess.run(["rm", "-rf", str(path)], check=False)


def serving(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``vcio serve`` on the embedded database; answers the process and PostgreSQL's pid."""
    port = free_port()
    env = {**os.environ, "VCIO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("VCIO_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from runtime.cli import app; app()", "serve", "--port", str(port),
         "--no-scheduler"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("vcio serve did not start")
    postmaster = (data_dir / "pgdata" / "postmaster.pid").read_text().split()
    return process, int(postmaster[0])


def gone(pid: int, within: float = 20) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not process_exists(pid):
            return True
        time.sleep(0.2)
    return False


def test_sigterm_to_serve_stops_the_embedded_postgresql(data_dir: Path) -> None:
    process, postgres = serving(data_dir)

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

    assert gone(postgres)
    assert json.loads((data_dir / "pgdata" / HANDLE_REGISTRY).read_text()) == []


def test_a_dead_process_is_dropped_from_the_handle_registry(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    registry = tmp_path / HANDLE_REGISTRY
    registry.write_text(json.dumps([dead.pid, os.getpid()]))

    kept = forget_dead_handles(registry)

    assert kept == [os.getpid()]
    assert json.loads(registry.read_text()) == [os.getpid()]
