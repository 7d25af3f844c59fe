"""A rebuild weighs its read models by the events of their topics (a long log from a sample),
and its build workers commit without waiting for the disk."""

from typing import Any

import pytest

from projections.rebuild_workers import events_per_topic, worker_connection
from tests.integration.test_projection_rebuild import a_year_of_history
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def counted(conn: Any, projector: Any) -> dict[str, int]:
    rows = conn.execute(f"SELECT topic, count(*) FROM {projector.events_sql().as_string(conn)}"
                        " GROUP BY topic").fetchall()
    return {topic: count for topic, count in rows}


def test_a_log_within_the_sample_is_counted_exactly(services: Any, scenario: Scenario) -> None:
    a_year_of_history(services, scenario, lambda: None)
    projector = next(iter(services.projectors.values()))
    with services.database.connect() as conn:
        assert events_per_topic(conn, projector, sample=10**12) == counted(conn, projector)


def test_a_longer_log_is_weighed_from_a_sample_scaled_up_to_its_size(
        services: Any, scenario: Scenario) -> None:
    for _ in range(3):
        a_year_of_history(services, scenario, lambda: None)
    projector = next(iter(services.projectors.values()))
    with services.database.connect() as conn:
        size = int(conn.execute(f"SELECT max(notification_id) FROM"
                                f" {projector.events_sql().as_string(conn)}").fetchone()[0])
        exact = counted(conn, projector)
        estimated = events_per_topic(conn, projector, sample=size // 3)
    assert set(estimated) <= set(exact)
    assert max(exact, key=lambda topic: exact[topic]) in estimated
    # each topic's share of the sample, scaled to the log's size (rounded topic by topic)
    assert abs(sum(estimated.values()) - size) <= len(estimated)


def test_a_build_worker_commits_without_waiting_for_the_disk_and_the_swap_waits(
        services: Any) -> None:
    projector = next(iter(services.projectors.values()))
    with worker_connection(projector) as conn:
        assert conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
        assert not conn.autocommit
    with projector.connect() as conn:  # the connection a rebuild catches up and swaps on
        assert conn.execute("SHOW synchronous_commit").fetchone() == ("on",)
