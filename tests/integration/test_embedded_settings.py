"""The embedded PostgreSQL runs with room for a rebuild's WAL (no checkpoint mid-rebuild), and
the production compose file gives its server the same settings."""

import json
import os
import re
import time
from pathlib import Path

import psycopg
import pytest

from runtime.database import EMBEDDED_SETTINGS, Database, configure_embedded

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]


def settings_now(database: Database) -> dict[str, str]:
    """The settings as a new session sees them, once a reload has reached the server (it is
    asynchronous), waited for up to 5 s."""
    deadline = time.monotonic() + 5
    while True:
        with psycopg.connect(database.conninfo, autocommit=True) as conn:
            rows = conn.execute("SELECT name, current_setting(name) FROM unnest(%s::text[])"
                                " AS s(name)", (list(EMBEDDED_SETTINGS),)).fetchall()
        found = {str(name): str(value) for name, value in rows}
        if found == EMBEDDED_SETTINGS or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.skipif(bool(os.environ.get("VCIO_DATABASE_URL")), reason="an external server")
def test_the_embedded_server_is_started_with_the_settings(database: Database) -> None:
    assert settings_now(database) == {"max_wal_size": "8GB", "checkpoint_timeout": "15min"}


@pytest.mark.skipif(bool(os.environ.get("VCIO_DATABASE_URL")), reason="an external server")
def test_a_setting_changed_since_is_given_back_on_the_next_start(database: Database) -> None:
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET max_wal_size = '1GB'")
        conn.execute("SELECT pg_reload_conf()")
    try:
        deadline = time.monotonic() + 5
        while settings_now(database)["max_wal_size"] != "1GB" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert settings_now(database)["max_wal_size"] == "1GB"
        configure_embedded(database)
        assert settings_now(database) == EMBEDDED_SETTINGS
    finally:
        configure_embedded(database)


def test_the_compose_files_server_gets_the_same_settings() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    found = re.search(r"^ {4}command: (\[\"postgres\".*\])$", text, re.MULTILINE)
    assert found is not None, "the postgres service's command line"
    words = json.loads(found.group(1))
    pairs = dict(word.split("=", 1) for flag, word in zip(words[1::2], words[2::2], strict=True)
                 if flag == "-c")
    assert pairs == EMBEDDED_SETTINGS
