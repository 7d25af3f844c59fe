"""The production image holds the whole package: a wheel built from exactly the files the
Dockerfile copies installs into a fresh environment, and its ``vcio`` shows its help and serves.

No docker engine here: the Dockerfile's COPY lines are read, those files (less what
.dockerignore leaves out) are built into a wheel, and the wheel is installed into a new venv
whose dependencies come from the shared environment (as the image gets them from the lock).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

from runtime.database import Database

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]


def copied_paths() -> list[str]:
    """The sources of the Dockerfile's COPY instructions."""
    sources: list[str] = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words and words[0] == "COPY":
            sources.extend(w for w in words[1:-1] if not w.startswith("--"))
    return sources


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from the Dockerfile's files; answers its bin folder."""
    work = tmp_path_factory.mktemp("image")
    context = work / "context"
    context.mkdir()
    for source in copied_paths():
        path = ROOT / source
        if path.is_dir():
            shutil.copytree(path, context / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, context / source)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(work / "dist"), str(context)], check=True, cwd=work)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies, from the shared environment (its own .pth files, among them the
    # editable install of this checkout, are not run from a path added this way).
    Path(site, "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((work / "dist").glob("vcio_ledger-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    return venv / "bin"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VCIO_DATABASE_URL")}
    return {**env, **extra}


def test_the_dockerfile_copies_every_package_of_the_project() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}

    assert packages <= set(copied_paths())


def test_the_installed_package_comes_from_the_wheel_not_this_checkout(installed: Path) -> None:
    found = subprocess.run([str(installed / "python"), "-c", "import runtime.cli, web; print(web.__file__)"],
                           check=True, capture_output=True, text=True, cwd=installed,
                           env=clean_env()).stdout

    assert str(installed.parent) in found


def test_vcio_help_runs_from_the_wheel(installed: Path) -> None:
    result = subprocess.run([str(installed / "vcio"), "--help"], capture_output=True, text=True,
                            cwd=installed, env=clean_env())

    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout and "tokens" in result.stdout


def test_vcio_serve_from_the_wheel_answers_health(installed: Path, database: Database) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(installed / "vcio"), "serve", "--port", str(port), "--no-scheduler"], cwd=installed,
        env=clean_env(VCIO_DATABASE_URL=database.conninfo), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True)
    try:
        status = None
        deadline = time.monotonic() + 60
        while status != 200 and time.monotonic() < deadline and server.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code
            except httpx.TransportError:
                time.sleep(0.3)
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # anything it left behind

    assert status == 200, errors.decode()[-2000:]
