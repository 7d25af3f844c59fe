"""On a realistic log (every kind of event, many clients, the committee at work), following
the log in small batches and rebuilding every read model in one pass give the same rows and
the same indexes, in rebuild mode (memory kept across windows, indexes after the load, the log
read once for all workers) as in runner mode, and with a poison event in the middle."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from bench.rebuild import generate
from projections import rebuild_workers
from projections.audit_timeline import AuditTimelineProjection
from projections.catalog import CATALOG_SCHEMA, generation_schema
from projections.feed import LogFeed
from projections.rebuild import rebuild_all
from projections.review_batch import AnswerBuffer
from runtime.services import Services
from tests.integration.conftest import live_rows
from tests.integration.poison import separate_database, write_poisoned_copy

pytestmark = pytest.mark.integration

REALISTIC_EVENTS = 1_400
SMALL_BATCH = 97  # many batch boundaries: what a batch remembers must not change the rows


def in_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build in worker threads: what a test counts in its own process must happen there."""
    monkeypatch.setattr("projections.rebuild.REBUILD_IN_PROCESSES", False)


def small_windows(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The projectors, made to rebuild in windows of SMALL_BATCH events (many windows)."""
    monkeypatch.setattr("projections.rebuild.REBUILD_BATCH_EVENTS", SMALL_BATCH)
    projectors = list(services.projectors.values())
    for projector in projectors:
        monkeypatch.setattr(projector, "batch_size", SMALL_BATCH)
    return projectors


def follow(services: Services, projectors: list[Any]) -> dict[str, Any]:
    with services.database.connect() as conn:
        LogFeed(projectors, batch_size=SMALL_BATCH).run_to_head(conn)
    return {p.name: live_rows(services.database.conninfo, p.name) for p in projectors}


def live_indexes(conninfo: str, name: str) -> list[str]:
    """The index definitions of a projection's live generation, without its schema name."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        generation = conn.execute(SQL("SELECT generation FROM {}.registry WHERE name = %s").format(
            Identifier(CATALOG_SCHEMA)), (name,)).fetchone()[0]  # type: ignore[index]
        schema = generation_schema(name, generation)
        found = conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s", (schema,))
        return sorted(str(r[0]).replace(schema, "<schema>") for r in found.fetchall())


@pytest.fixture(scope="module")
def realistic(database: Any, settings: Any) -> Iterator[tuple[Services, str]]:
    with separate_database(database, settings) as services:
        generate(services.ledger, "msp-realistic", REALISTIC_EVENTS)
        yield services, services.database.conninfo


def test_following_in_small_batches_equals_a_rebuild_in_rebuild_mode(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, conninfo = realistic
    projectors = small_windows(services, monkeypatch)
    incremental = follow(services, projectors)

    rebuild_all(projectors)

    assert {p.name: live_rows(conninfo, p.name) for p in projectors} == incremental
    assert all(any(rows.values()) for rows in incremental.values())


def test_a_rebuild_in_windows_holding_whole_reviews_equals_following_in_small_batches(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # In one window a review's answers, changed answers, ratings and the item sent back are
    # worked out in memory and loaded once; following in batches of 97 takes the statements.
    services, conninfo = realistic
    incremental = follow(services, small_windows(services, monkeypatch))
    projectors = list(services.projectors.values())
    monkeypatch.setattr("projections.rebuild.REBUILD_BATCH_EVENTS", 5_000)
    kept: list[int] = []
    take = AnswerBuffer.take

    def counted(buffer: AnswerBuffer, review_id: Any) -> Any:
        found = take(buffer, review_id)
        kept.append(len(found or ()))
        return found

    monkeypatch.setattr(AnswerBuffer, "take", counted)
    in_threads(monkeypatch)

    rebuild_all(projectors)

    assert {p.name: live_rows(conninfo, p.name) for p in projectors} == incremental
    assert max(kept) >= 300  # a whole review of the 300-standard library, kept in memory


def test_an_audit_memo_past_its_limit_leaves_a_rebuild_equal_to_following_the_log(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, conninfo = realistic
    projectors = small_windows(services, monkeypatch)
    incremental = follow(services, projectors)
    monkeypatch.setattr("projections.audit_timeline.MEMO_LIMIT", 50)
    given_up: list[int] = []
    batch_failed = AuditTimelineProjection.batch_failed

    def counted(projection: AuditTimelineProjection) -> None:
        given_up.append(1)
        batch_failed(projection)

    monkeypatch.setattr(AuditTimelineProjection, "batch_failed", counted)
    in_threads(monkeypatch)

    rebuild_all(projectors)

    assert {p.name: live_rows(conninfo, p.name) for p in projectors} == incremental
    assert given_up  # the memo was given up midway, for loading per batch


def test_a_rebuild_in_runner_mode_equals_one_in_rebuild_mode(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, conninfo = realistic
    projectors = small_windows(services, monkeypatch)
    rebuild_all(projectors, in_memory=True)
    in_memory = {p.name: live_rows(conninfo, p.name) for p in projectors}

    rebuild_all(projectors, in_memory=False)

    assert {p.name: live_rows(conninfo, p.name) for p in projectors} == in_memory


def test_a_rebuild_in_rebuild_mode_creates_the_indexes_it_left_out(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, conninfo = realistic
    projectors = small_windows(services, monkeypatch)
    rebuild_all(projectors, in_memory=False)
    as_runners_build = {p.name: live_indexes(conninfo, p.name) for p in projectors}

    rebuild_all(projectors, in_memory=True)

    assert {p.name: live_indexes(conninfo, p.name) for p in projectors} == as_runners_build
    assert any("timeline_decision_maker_id_idx" in i for i in as_runners_build["audit_timeline"])


def test_the_workers_of_a_rebuild_read_each_window_of_the_log_once(
        realistic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services, _ = realistic
    projectors = small_windows(services, monkeypatch)
    reads: Counter[int] = Counter()
    read_window = rebuild_workers.read_window

    def counted(cur: Any, events: Any, after: int, *args: Any, **kwargs: Any) -> Any:
        reads[after] += 1
        return read_window(cur, events, after, *args, **kwargs)

    monkeypatch.setattr(rebuild_workers, "read_window", counted)
    in_threads(monkeypatch)  # worker processes read their own windows

    rebuild_all(projectors)

    assert len(reads) > 10 and set(reads.values()) == {1}


def test_a_poison_event_midway_leaves_a_rebuild_equal_to_following_the_log(
        database: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with separate_database(database, settings) as services:
        generate(services.ledger, "msp-before", REALISTIC_EVENTS // 2)
        with services.database.connect() as conn:
            [client] = conn.execute(SQL("SELECT originator_id FROM public.{} WHERE topic LIKE"
                                        " '%%ClientOnboarded' ORDER BY notification_id LIMIT 1").format(
                Identifier(services.ledger.recorder.events_table_name))).fetchall()
        poison = write_poisoned_copy(services, client[0], "Client 0")
        generate(services.ledger, "msp-after", REALISTIC_EVENTS // 2)
        projectors = small_windows(services, monkeypatch)
        incremental = follow(services, projectors)

        rebuild_all(projectors)

        assert {p.name: live_rows(services.database.conninfo, p.name)
                for p in projectors} == incremental
        assert [d.position for d in services.reader.dead_letters("audit_timeline")] == [poison]
