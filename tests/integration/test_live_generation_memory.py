"""A reader remembers which generation of a read model is live, and looks again once told to
forget or once its memory lapses."""

import uuid
from collections.abc import Iterator

import pytest
from psycopg import connect
from psycopg.sql import SQL, Identifier

from projections.catalog import CATALOG_SCHEMA, ProjectionReader


def search_path(reader: ProjectionReader, name: str) -> str:
    with reader.cursor(name) as cur:
        cur.execute("SELECT current_setting('search_path')")
        row = cur.fetchone()
    assert row is not None
    return str(row[0])


def point_registry(conninfo: str, name: str, generation: int) -> None:
    with connect(conninfo, autocommit=True) as conn:
        conn.execute(SQL("UPDATE {}.registry SET generation = %s WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (generation, name))


@pytest.fixture
def name(services) -> Iterator[str]:
    """A registry row of its own (no read model behind it), so no runner is disturbed."""
    own = f"memory_{uuid.uuid4().hex[:8]}"
    with connect(services.database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("INSERT INTO {}.registry (name, generation) VALUES (%s, 1)").format(
            Identifier(CATALOG_SCHEMA)), (own,))
    yield own
    with connect(services.database.conninfo, autocommit=True) as conn:
        conn.execute(SQL("DELETE FROM {}.registry WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (own,))


def test_a_reader_reads_the_generation_it_remembers_until_told_to_forget(services, name) -> None:
    reader = ProjectionReader(services.pool, ttl=3600)
    search_path(reader, name)
    point_registry(services.database.conninfo, name, 2)

    remembered = search_path(reader, name)
    reader.forget_live_generations()
    after = search_path(reader, name)

    assert remembered.startswith(f"proj_{name}_g1,")
    assert after.startswith(f"proj_{name}_g2,")


def test_a_reader_without_memory_follows_a_swap_at_once(services, name) -> None:
    reader = ProjectionReader(services.pool, ttl=0)
    search_path(reader, name)
    point_registry(services.database.conninfo, name, 2)

    after = search_path(reader, name)

    assert after.startswith(f"proj_{name}_g2,")
