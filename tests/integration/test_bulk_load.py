"""A rebuild generation's secondary indexes (and, when asked, its WAL) are set aside for the
bulk load and put back after it, the same as they were created; primary keys, unique indexes
and the indexes of the tables a read model reads back stay throughout."""

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from projections.bulk_load import restore, set_aside

pytestmark = pytest.mark.integration


@pytest.fixture
def schema(database: Any) -> Iterator[tuple[Cursor[Any], str]]:
    """A fresh schema with two tables: a primary key, a unique and a secondary index on one,
    a secondary index on the other."""
    name = f"bulk_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database.conninfo, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(SQL("CREATE SCHEMA {}").format(Identifier(name)))
        cur.execute(SQL("SET search_path TO {}").format(Identifier(name)))
        cur.execute("CREATE TABLE answers (review_id uuid, standard_id uuid, client_id uuid,"
                    " seq int UNIQUE, PRIMARY KEY (review_id, standard_id))")
        cur.execute("CREATE INDEX ON answers (client_id, standard_id)")
        cur.execute("CREATE TABLE scores (review_id uuid PRIMARY KEY, tenant text)")
        cur.execute("CREATE INDEX ON scores (tenant)")
        try:
            yield cur, name
        finally:
            cur.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(name)))


def indexes(cur: Cursor[Any], schema: str) -> list[str]:
    cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s ORDER BY indexname",
                (schema,))
    return [str(name) for (name,) in cur.fetchall()]


def definitions(cur: Cursor[Any], schema: str) -> list[str]:
    cur.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY indexname",
                (schema,))
    return [str(definition) for (definition,) in cur.fetchall()]


def persistence(cur: Cursor[Any], schema: str) -> set[str]:
    cur.execute("SELECT DISTINCT c.relpersistence FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'", (schema,))
    return {str(p) for (p,) in cur.fetchall()}


def test_setting_aside_drops_secondary_indexes_and_keeps_primary_keys_and_unique_ones(
        schema: tuple[Cursor[Any], str]) -> None:
    cur, name = schema

    set_aside(cur, name)

    assert indexes(cur, name) == ["answers_pkey", "answers_seq_key", "scores_pkey"]


def test_setting_aside_keeps_the_indexes_of_the_tables_read_back_during_the_rebuild(
        schema: tuple[Cursor[Any], str]) -> None:
    cur, name = schema

    set_aside(cur, name, keep={"answers"})

    assert "answers_client_id_standard_id_idx" in indexes(cur, name)
    assert "scores_tenant_idx" not in indexes(cur, name)


def test_restoring_creates_the_indexes_set_aside_as_they_were(
        schema: tuple[Cursor[Any], str]) -> None:
    cur, name = schema
    before = definitions(cur, name)
    aside = set_aside(cur, name)
    cur.execute("INSERT INTO scores VALUES (gen_random_uuid(), 'msp-1')")

    restore(cur, aside)

    assert definitions(cur, name) == before


def test_tables_set_aside_unlogged_are_logged_again_once_restored(
        schema: tuple[Cursor[Any], str]) -> None:
    cur, name = schema
    aside = set_aside(cur, name, unlogged=True)
    assert persistence(cur, name) == {"u"}

    restore(cur, aside)

    assert persistence(cur, name) == {"p"}
