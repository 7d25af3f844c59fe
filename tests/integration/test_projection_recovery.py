"""A projection killed mid-batch loses nothing and applies nothing twice.

The crash is a ``BaseException`` raised from inside ``apply`` after some events of a batch, as
a ``KeyboardInterrupt`` or a killed worker would; the batch's transaction must roll back whole,
and a restarted runner must end with exactly the rows a full rebuild produces.
"""

from typing import Any

import pytest

from events.vocabulary import Answer, Rating
from projections.client_alignment import ClientAlignmentProjection
from tests.integration.conftest import live_rows, private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

BATCH = 25
APPLIED_BEFORE_CRASH = BATCH + 7  # one full batch committed, then 7 events into the next


class Crash(BaseException):
    """Stands for the process being killed: not an ``Exception``, so nothing may catch it."""


def crash_test_projection() -> tuple[type[ClientAlignmentProjection], type[ClientAlignmentProjection]]:
    """The client alignment projection under a private name, and a twin that crashes."""
    name = private_name("crash_test_alignment")

    class CrashTestAlignment(ClientAlignmentProjection):
        pass

    CrashTestAlignment.name = name

    class CrashingAlignment(CrashTestAlignment):
        applied = 0

        def apply(self, cur: Any, event: Any, position: int) -> None:
            if self.applied == APPLIED_BEFORE_CRASH:
                raise Crash
            super().apply(cur, event, position)
            self.applied += 1

    return CrashTestAlignment, CrashingAlignment


def history_with_enough_events(scenario: Scenario) -> None:
    """At least two batches of this projection's events, whatever else the log holds."""
    standards = [scenario.standard(category=c) for c in ("firewalls", "email", "backup")
                 for _ in range(3)]
    client = scenario.client()
    for answer in (Answer.NO, Answer.YES):
        review = scenario.start(client)
        for standard in standards:
            scenario.answer(client, review, standard, answer)
        if answer is Answer.NO:
            scenario.rate(client, review, standards[0], Rating.HIGHLY_VULNERABLE)
        scenario.complete(client, review)


def test_a_crash_mid_batch_leaves_exactly_the_batches_committed_before_it(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    history_with_enough_events(scenario)
    normal, crashing = crash_test_projection()
    one_batch_twin, _ = crash_test_projection()
    twin = private_projectors(one_batch_twin(), BATCH)
    with twin.connect() as conn:
        twin.run_once(conn)
    expected = live_rows(services.database.conninfo, one_batch_twin.name)

    with pytest.raises(Crash):
        private_projectors(crashing(), BATCH).catch_up()

    assert services.reader.position(normal.name) == services.reader.position(one_batch_twin.name)
    assert services.reader.position(normal.name) > 0
    assert live_rows(services.database.conninfo, normal.name) == expected


def test_a_runner_restarted_after_a_crash_ends_identical_to_a_full_rebuild(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    history_with_enough_events(scenario)
    normal, crashing = crash_test_projection()
    with pytest.raises(Crash):
        private_projectors(crashing(), BATCH).catch_up()
    restarted = private_projectors(normal(), BATCH)

    restarted.catch_up()
    after_restart = live_rows(services.database.conninfo, normal.name)
    restarted.rebuild()
    rebuilt = live_rows(services.database.conninfo, normal.name)

    assert after_restart == rebuilt
    assert any(after_restart.values())
