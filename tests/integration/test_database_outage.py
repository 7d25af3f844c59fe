"""The embedded PostgreSQL killed under load and started again by the watchdog, while the app
keeps running: 503s while it is down, no hang, no acknowledged write lost, service again.

The scenario runs once, on an embedded server of its own (the session's database is not
disturbed), and each test below checks one thing about what it recorded.
"""

import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from psycopg.sql import SQL, Identifier

from runtime.app import build_app
from runtime.database import start_embedded
from runtime.services import Services, build_services
from runtime.settings import Settings
from runtime.supervisor import DatabaseWatchdog
from tests.e2e.steps import onboard, publish_standard, start_review

pytestmark = pytest.mark.integration

WRITERS = 4
STANDARDS = 5
HTTP_TIMEOUT = 5.0  # a request that gets no answer in this time counts as hung


@dataclass(frozen=True)
class Sent:
    """One answer request and what came back (``status`` None: no answer in time)."""

    writer: int
    sent_at: float
    elapsed: float
    status: int | None
    retry_after: str | None = None
    body: Any = None
    error: str | None = None


@dataclass
class Outage:
    sent: list[Sent] = field(default_factory=list)
    killed_at: float = 0.0
    back_at: float = 0.0
    old_pid: int = 0
    new_pid: int | None = None
    restarts: int = 0
    logged: set[tuple[str, int, int]] = field(default_factory=set)
    timelines: dict[str, httpx.Response] = field(default_factory=dict)
    clients: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def own_server() -> Iterator[tuple[Any, Any]]:
    data_dir = Path(tempfile.gettempdir()) / f"vcio-outage-pg-{uuid.uuid4().hex[:12]}"
    data_dir.mkdir(mode=0o755)
    database, server = start_embedded(data_dir, cleanup_mode="delete")
    yield database, server
    server.cleanup()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_services(own_server: tuple[Any, Any]) -> Iterator[Services]:
    settings = Settings(database_url=None, lock_timeout_seconds=2, database_timeout_seconds=1,
                        pool_size=4, read_wait_timeout_seconds=10)
    services = build_services(settings, own_server[0])
    services.start_projection_runners()
    yield services
    services.close()


@pytest.fixture(scope="module")
def own_api(own_services: Services) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(build_app(own_services), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the API server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def client_for(services: Services, api: str, role: str) -> httpx.Client:
    token = services.tokens.create("msp-outage", role, f"{role}.user")
    return httpx.Client(base_url=api, timeout=HTTP_TIMEOUT, headers={"Authorization": f"Bearer {token}"})


def wait_until(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def read_when_ready(api: httpx.Client, path: str, params: dict[str, Any]) -> httpx.Response:
    """A read as a client honouring Retry-After sends it: a runner that lost the database
    comes back after a back-off, and until then ``wait_for`` answers 503."""
    deadline = time.monotonic() + 40
    while True:
        response = api.get(path, params=params, timeout=20)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))


def logged_events(services: Services) -> set[tuple[str, int, int]]:
    table = services.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    with psycopg.connect(services.database.conninfo) as conn:
        rows = conn.execute(SQL("SELECT originator_id, originator_version, notification_id FROM {}"
                                ).format(Identifier(table))).fetchall()
    return {(str(r[0]), int(r[1]), int(r[2])) for r in rows}


@pytest.fixture(scope="module")
def outage(own_server: tuple[Any, Any], own_services: Services, own_api: str) -> Outage:
    _, server = own_server
    committee, tam = client_for(own_services, own_api, "committee"), client_for(own_services, own_api, "tam")
    vcio = client_for(own_services, own_api, "vcio")
    standards = [publish_standard(committee, f"outage-{n}", "backup", "high") for n in range(STANDARDS)]
    record = Outage(clients=[onboard(vcio)["client_id"] for _ in range(WRITERS)])
    reviews = [start_review(tam, client) for client in record.clients]
    stop = threading.Event()
    lock = threading.Lock()

    def writer(number: int) -> None:
        with client_for(own_services, own_api, "tam") as api:
            n = 0
            while not stop.is_set():
                path = (f"/clients/{record.clients[number]}/reviews/{reviews[number]}"
                        f"/answers/{standards[n % STANDARDS]}")
                started = time.monotonic()
                try:
                    response = api.put(path, json={"answer": "yes" if n % 2 else "no"})
                    sent = Sent(number, started, time.monotonic() - started, response.status_code,
                                response.headers.get("Retry-After"),
                                response.json() if response.status_code == 200 else None)
                except httpx.TransportError as error:  # a timeout included: no answer in time
                    sent = Sent(number, started, time.monotonic() - started, None, error=repr(error))
                with lock:
                    record.sent.append(sent)
                if sent.status != 200:
                    time.sleep(0.1)  # a client honouring Retry-After, kept short for the test
                n += 1

    def answered_since(moment: float) -> set[int]:
        with lock:
            return {s.writer for s in record.sent if s.status == 200 and s.sent_at > moment}

    watchdog = DatabaseWatchdog(server, interval=0.2, give_up_after=30, on_give_up=lambda: None)
    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    watchdog.start()
    try:
        wait_until(lambda: len(answered_since(0)) == WRITERS, 15, "every writer to be answered")
        record.old_pid = server.get_pid()
        record.killed_at = time.monotonic()
        os.kill(record.old_pid, signal.SIGKILL)
        wait_until(lambda: watchdog.restarts >= 1, 25, "the watchdog to restart the server")
        record.back_at = time.monotonic()
        wait_until(lambda: len(answered_since(record.back_at)) == WRITERS, 15,
                   "every writer to be answered after the restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=HTTP_TIMEOUT + 1)
        watchdog.stop()
    record.restarts, record.new_pid = watchdog.restarts, server.get_pid()
    record.logged = logged_events(own_services)
    last = max(s.body["position"] for s in record.sent if s.status == 200)
    for client in record.clients:
        record.timelines[client] = read_when_ready(tam, f"/clients/{client}/timeline",
                                                   {"wait_for": last, "limit": 5000})
    for api in (committee, tam, vcio):
        api.close()
    return record


def test_the_watchdog_starts_a_killed_server_again_once(outage: Outage) -> None:
    assert outage.restarts == 1
    assert outage.new_pid is not None and outage.new_pid != outage.old_pid


def test_requests_while_the_database_is_down_answer_503_with_retry_after(outage: Outage) -> None:
    refused = [s for s in outage.sent if s.status != 200]
    down = [s for s in refused if outage.killed_at <= s.sent_at <= outage.back_at]

    assert down, "no request was sent while the database was down"
    assert {s.status for s in refused} == {503}, [s for s in refused if s.status != 503]
    assert all(s.retry_after for s in refused)


def test_no_request_waits_for_an_answer_longer_than_five_seconds(outage: Outage) -> None:
    assert [s for s in outage.sent if s.status is None] == []
    assert max(s.elapsed for s in outage.sent) < HTTP_TIMEOUT


def test_every_acknowledged_answer_is_in_the_log_after_the_restart(outage: Outage) -> None:
    acknowledged = {(s.body["aggregate_id"], s.body["version"], s.body["position"])
                    for s in outage.sent if s.status == 200}

    assert acknowledged
    assert acknowledged - outage.logged == set()


def test_the_service_answers_again_without_restarting_the_app(outage: Outage) -> None:
    after = {s.writer for s in outage.sent if s.status == 200 and s.sent_at > outage.back_at}

    assert after == set(range(WRITERS))


def test_the_read_models_catch_up_with_every_acknowledged_answer(outage: Outage) -> None:
    for number, client in enumerate(outage.clients):
        response = outage.timelines[client]
        assert response.status_code == 200, response.text
        shown = {entry["position"] for entry in response.json()["data"]}
        acknowledged = {s.body["position"] for s in outage.sent if s.status == 200 and s.writer == number}
        assert acknowledged - shown == set()
