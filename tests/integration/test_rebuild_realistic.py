"""On a realistic log (every kind of event, many clients, the committee at work), following
the log in small batches and rebuilding every read model in one pass give the same rows."""

from typing import Any

import pytest

from bench.rebuild import generate
from projections.feed import LogFeed
from projections.rebuild import rebuild_all
from tests.integration.conftest import live_rows
from tests.integration.poison import separate_database

pytestmark = pytest.mark.integration

REALISTIC_EVENTS = 1_400
SMALL_BATCH = 97  # many batch boundaries: what a batch remembers must not change the rows


def test_following_in_small_batches_equals_a_one_pass_rebuild(database: Any, settings: Any) -> None:
    with separate_database(database, settings) as services:
        generate(services.ledger, "msp-realistic", REALISTIC_EVENTS)
        projectors = list(services.projectors.values())
        with services.database.connect() as conn:
            LogFeed(projectors, batch_size=SMALL_BATCH).run_to_head(conn)
        incremental = {p.name: live_rows(services.database.conninfo, p.name) for p in projectors}

        rebuild_all(projectors)

        rebuilt = {p.name: live_rows(services.database.conninfo, p.name) for p in projectors}
        assert rebuilt == incremental
        assert all(any(rows.values()) for rows in incremental.values())
