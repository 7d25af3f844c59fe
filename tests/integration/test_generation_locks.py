"""A reader holds the generation of a read model it reads until its transaction ends; a rebuild
drops a swapped-out generation only once no reader is in it, and a reader that comes later
reads the live one, whatever it remembered."""

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import connect
from psycopg.sql import SQL, Identifier

from projections.catalog import (
    CATALOG_SCHEMA,
    ProjectionReader,
    create_catalog,
    generation_schema,
    lock_generation,
)
from projections.client_directory import ClientDirectoryProjection
from projections.rebuild import drop_generation, drop_generations, rebuild_all
from tests.integration.conftest import private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


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


def live_generation(conninfo: str, name: str) -> int:
    with connect(conninfo, autocommit=True) as conn:
        row = conn.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (name,)).fetchone()
    return int(row[0]) if row else 0


def schema_exists(conninfo: str, schema: str) -> bool:
    with connect(conninfo, autocommit=True) as conn:
        return conn.execute("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = %s)",
                            (schema,)).fetchone() == (True,)


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


def test_a_reader_follows_a_swap_at_once(services, name) -> None:
    reader = ProjectionReader(services.pool)
    before = search_path(reader, name)
    point_registry(services.database.conninfo, name, 2)

    after = search_path(reader, name)

    assert before.startswith(f"proj_{name}_g1,")
    assert after.startswith(f"proj_{name}_g2,")


def test_a_read_model_not_registered_is_named(services) -> None:
    reader = ProjectionReader(services.pool)

    with pytest.raises(LookupError, match="'nowhere_to_be_found' has not been created"):
        search_path(reader, "nowhere_to_be_found")


def test_a_generation_cannot_be_locked_for_its_drop_while_a_reader_is_in_it(services, name) -> None:
    reader = ProjectionReader(services.pool)
    conninfo = services.database.conninfo
    with reader.cursor(name), connect(conninfo) as dropper:
        dropper.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            lock_generation(dropper.cursor(), name, 1)
    with connect(conninfo) as dropper:  # the reader is done
        dropper.execute("SET lock_timeout = '200ms'")
        lock_generation(dropper.cursor(), name, 1)


def test_a_reader_after_a_swap_does_not_wait_for_the_old_generation_to_be_dropped(
        services, name) -> None:
    reader = ProjectionReader(services.pool)
    conninfo = services.database.conninfo
    assert search_path(reader, name).startswith(f"proj_{name}_g1,")
    paths: list[str] = []
    with connect(conninfo) as dropper:
        point_registry(conninfo, name, 2)  # swapped
        lock_generation(dropper.cursor(), name, 1)  # and the drop of generation 1 under way
        reading = threading.Thread(target=lambda: paths.append(search_path(reader, name)))
        reading.start()
        reading.join(10)
        waited = reading.is_alive()  # for the drop to end (it never should)
    reading.join()

    assert not waited
    assert paths[0].startswith(f"proj_{name}_g2,")


def test_a_rebuild_drops_the_old_generation_once_its_last_reader_is_done(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    projection = ClientDirectoryProjection()
    projection.__class__ = type("PrivateClientDirectory", (ClientDirectoryProjection,),
                                {"name": private_name(projection.name)})
    projector = private_projectors(projection)
    client = scenario.client()
    projector.catch_up()
    conninfo = services.database.conninfo
    reader = ProjectionReader(services.pool)
    failures: list[BaseException] = []

    def rebuild() -> None:
        try:
            rebuild_all([projector])
        except BaseException as error:  # noqa: BLE001 - raised in the test's thread below
            failures.append(error)

    with reader.cursor(projection.name) as cur:
        cur.execute("SELECT count(*) FROM clients WHERE client_id = %s", (client,))
        before = cur.fetchone()
        rebuilding = threading.Thread(target=rebuild)
        rebuilding.start()
        swapped = time.monotonic() + 60
        while live_generation(conninfo, projection.name) != 2 and time.monotonic() < swapped:
            time.sleep(0.05)
        assert search_path(reader, projection.name).startswith(f"proj_{projection.name}_g2,")
        rebuilding.join(0.5)
        assert rebuilding.is_alive()  # swapped in, waiting for this reader to leave generation 1
        cur.execute("SELECT count(*) FROM clients WHERE client_id = %s", (client,))
        assert cur.fetchone() == before == (1,)  # the old generation is still there
    rebuilding.join(30)

    assert not failures
    assert not schema_exists(conninfo, generation_schema(projection.name, 1))
    assert schema_exists(conninfo, generation_schema(projection.name, 2))


def test_a_generation_kept_by_a_reader_too_long_is_left_for_the_next_rebuild(
        services, name, monkeypatch) -> None:
    monkeypatch.setattr("projections.rebuild.DROP_WAIT_SECONDS", 0.2)
    conninfo = services.database.conninfo
    schema = generation_schema(name, 1)
    with connect(conninfo, autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
    reader = ProjectionReader(services.pool)
    try:
        with reader.cursor(name), connect(conninfo, autocommit=True) as admin:
            assert drop_generation(admin, name, 1) is False
        assert schema_exists(conninfo, schema)
        with connect(conninfo, autocommit=True) as admin:
            assert drop_generation(admin, name, 1) is True
        assert not schema_exists(conninfo, schema)
    finally:
        with connect(conninfo, autocommit=True) as conn:
            conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))


def test_generations_swapped_out_together_are_dropped_but_one_still_read(services, monkeypatch) -> None:
    monkeypatch.setattr("projections.rebuild.DROP_WAIT_SECONDS", 0.2)
    conninfo = services.database.conninfo
    names = [f"memory_{uuid.uuid4().hex[:8]}" for _ in range(3)]
    with connect(conninfo, autocommit=True) as conn:
        for own in names:
            conn.execute(SQL("INSERT INTO {}.registry (name, generation) VALUES (%s, 1)").format(
                Identifier(CATALOG_SCHEMA)), (own,))
            conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(generation_schema(own, 1))))
    reader = ProjectionReader(services.pool)
    try:
        with reader.cursor(names[1]), connect(conninfo, autocommit=True) as admin:
            drop_generations(admin, [(own, 1) for own in names])
            left = [schema_exists(conninfo, generation_schema(own, 1)) for own in names]
        assert left == [False, True, False]  # the one being read is left for the next rebuild
    finally:
        with connect(conninfo, autocommit=True) as conn:
            for own in names:
                conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    Identifier(generation_schema(own, 1))))
                conn.execute(SQL("DELETE FROM {}.registry WHERE name = %s").format(
                    Identifier(CATALOG_SCHEMA)), (own,))


def test_the_catalog_function_is_replaced_only_when_it_differs(services) -> None:
    def function_row_version(conn: Any) -> str:
        row = conn.execute("SELECT xmin::text FROM pg_proc WHERE proname = 'live_generation'"
                           " AND pronamespace = to_regnamespace(%s)", (CATALOG_SCHEMA,)).fetchone()
        assert row is not None
        return str(row[0])

    with connect(services.database.conninfo) as conn:
        create_catalog(conn.cursor())
        conn.commit()
        before = function_row_version(conn)
        create_catalog(conn.cursor())  # as every runner start does, per read model
        conn.commit()
        after = function_row_version(conn)

    assert after == before
