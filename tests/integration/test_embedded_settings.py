"""The embedded PostgreSQL runs with room for a rebuild's WAL (no checkpoint mid-rebuild), and
the production compose file gives its server the same settings."""

import json
import os
import re
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from runtime.database import EMBEDDED_SETTINGS, Database, configure_embedded

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]


def settings_now(database: Database) -> dict[str, str]:
    """The settings as a new session sees them."""
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        rows = conn.execute("SELECT name, current_setting(name) FROM unnest(%s::text[])"
                            " AS s(name)", (list(EMBEDDED_SETTINGS),)).fetchall()
    return {str(name): str(value) for name, value in rows}


def settings_become(database: Database, expected: dict[str, str]) -> dict[str, str]:
    """The settings once they are ``expected`` (a reload reaches the server asynchronously),
    or as they are after 5 s."""
    deadline = time.monotonic() + 5
    while (found := settings_now(database)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@pytest.mark.skipif(bool(os.environ.get("VCIO_DATABASE_URL")), reason="an external server")
def test_the_embedded_server_is_started_with_the_settings(database: Database) -> None:
    expected = {"max_wal_size": "8GB", "checkpoint_timeout": "15min"}
    assert settings_become(database, expected) == expected


def set_system(database: Database, name: str, value: str | None) -> None:
    """``ALTER SYSTEM`` (RESET with None), applied by a reload."""
    with psycopg.connect(database.conninfo, autocommit=True) as conn:
        if value is None:
            conn.execute(sql.SQL("ALTER SYSTEM RESET {}").format(sql.Identifier(name)))
        else:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name),
                                                                   sql.Literal(value)))
        conn.execute("SELECT pg_reload_conf()")


@pytest.mark.skipif(bool(os.environ.get("VCIO_DATABASE_URL")), reason="an external server")
def test_a_value_the_operator_set_is_kept_and_a_reset_one_given_again(database: Database) -> None:
    try:
        operators = {**EMBEDDED_SETTINGS, "max_wal_size": "2GB"}
        set_system(database, "max_wal_size", "2GB")
        assert settings_become(database, operators) == operators
        configure_embedded(database)  # as on the next start
        assert settings_become(database, EMBEDDED_SETTINGS) == operators  # 5 s: none came

        initdbs = {**EMBEDDED_SETTINGS, "max_wal_size": "1GB"}  # postgresql.conf's
        set_system(database, "max_wal_size", None)
        assert settings_become(database, initdbs) == initdbs
        configure_embedded(database)
        assert settings_become(database, EMBEDDED_SETTINGS) == EMBEDDED_SETTINGS
    finally:
        set_system(database, "max_wal_size", "8GB")
    assert settings_become(database, EMBEDDED_SETTINGS) == EMBEDDED_SETTINGS


def test_the_compose_files_server_gets_the_same_settings() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    found = re.search(r"^ {4}command: (\[\"postgres\".*\])$", text, re.MULTILINE)
    assert found is not None, "the postgres service's command line"
    words = json.loads(found.group(1))
    pairs = dict(word.split("=", 1) for flag, word in zip(words[1::2], words[2::2], strict=True)
                 if flag == "-c")
    assert pairs == EMBEDDED_SETTINGS
