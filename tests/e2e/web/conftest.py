"""The whole application (API and web dashboard) on a real uvicorn server, driven by Debian's
chromium through Playwright, with a fresh tenant per test.

Playwright's own browser download cannot work here, so the tests use ``/usr/bin/chromium``
(``apt-get install -y chromium``) and skip, saying why, when it or Playwright is missing.
Screenshots of every page under test are saved in ``test-artifacts/screenshots/``; the folder
is printed at the end of the run.
"""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from runtime.app import build_app
from runtime.services import Services
from tests.e2e.web.arrange import Arrange

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}

SignIn = Callable[..., None]
Shoot = Callable[..., Path]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"web dashboard screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def web_url(api_url: str, services: Services) -> Iterator[str]:
    """The full application on its own port (``api_url`` has started the projection runners)."""
    app = build_app(services)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="web-e2e-uvicorn")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium "
                    "(apt-get install -y chromium); Playwright's own browser download cannot work here")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, web_url: str) -> Iterator[Any]:
    """A fresh browser tab at 1280x800; a JavaScript error on any page fails the test."""
    context = browser.new_context(viewport=DESKTOP, base_url=web_url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def arrange(services: Services, tenant: str) -> Arrange:
    return Arrange(services, tenant)


@pytest.fixture
def sign_in(page: Any, services: Services, tenant: str) -> SignIn:
    """Signs the tab in through the sign-in page with a new token of ``role``."""

    def with_role(role: str, name: str | None = None, of_tenant: str | None = None) -> None:
        token = services.tokens.create(of_tenant or tenant, role, name or f"{role}.user")
        page.goto("/sign-in")
        page.get_by_label("API token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")

    return with_role


@pytest.fixture
def shoot(page: Any) -> Shoot:
    """Saves a full-page screenshot of the tab as ``test-artifacts/screenshots/<name>.png``."""

    def save(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
