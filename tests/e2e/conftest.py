"""A real uvicorn server for ``build_app(services)`` on a free local port, with the projection
runners following the log, and HTTP clients holding tokens of a fresh tenant per test."""

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from runtime.app import build_app
from runtime.services import Services
from tests.e2e.steps import Caller, LogHead


@pytest.fixture(scope="session")
def api_url(services: Services) -> Iterator[str]:
    services.start_projection_runners()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(services), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="e2e-uvicorn")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def caller(api_url: str, services: Services, tenant: str) -> Iterator[Caller]:
    """Makes an API client with a new token: ``caller("tam")``, or for another tenant."""
    opened: list[httpx.Client] = []

    def make(role: str, *, of_tenant: str | None = None, name: str | None = None) -> httpx.Client:
        token = services.tokens.create(of_tenant or tenant, role, name or f"{role}.user")
        client = httpx.Client(
            base_url=f"{api_url}/api/v1", timeout=15, headers={"Authorization": f"Bearer {token}"}
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


@pytest.fixture
def committee_api(caller: Caller) -> httpx.Client:
    return caller("committee", name="carla.committee")


@pytest.fixture
def vcio_api(caller: Caller) -> httpx.Client:
    return caller("vcio", name="vera.vcio")


@pytest.fixture
def tam_api(caller: Caller) -> httpx.Client:
    return caller("tam", name="tom.tam")


@pytest.fixture
def viewer_api(caller: Caller) -> httpx.Client:
    return caller("viewer", name="val.viewer")


@pytest.fixture
def admin_api(caller: Caller) -> httpx.Client:
    return caller("admin", name="ada.admin")


@pytest.fixture
def log_head(services: Services) -> LogHead:
    """The id of the newest event in the log, to prove a refused request recorded nothing."""
    return lambda: services.ledger.recorder.max_notification_id() or 0
