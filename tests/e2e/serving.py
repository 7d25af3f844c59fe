"""Serving an application on a free local port, and a database of its own for a test whose
writes must not reach the shared log (other tests rebuild read models from all of it)."""

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import uvicorn
from fastapi import FastAPI
from psycopg.conninfo import make_conninfo
from psycopg.sql import SQL, Identifier

from runtime.database import Database


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` on a free local port, for as long as the block runs."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def own_database(shared: Database) -> Iterator[Database]:
    """A new, empty database on the shared server, dropped after the block."""
    name = f"own_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(shared.conninfo, autocommit=True) as admin:
        admin.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    try:
        yield Database(make_conninfo(shared.conninfo, dbname=name))
    finally:
        with psycopg.connect(shared.conninfo, autocommit=True) as admin:
            admin.execute(SQL("DROP DATABASE {} WITH (FORCE)").format(Identifier(name)))
