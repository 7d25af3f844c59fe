"""A command brings the cached aggregates it names up to date before it locks them, in one
query, and still sees what another process saved to them."""

from typing import Any

import pytest

from commands.bus import CommandBus
from commands.reviews import RecordAnswer
from commands.standards import ReviseStandard
from events.vocabulary import Answer
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def counted(recorder: Any, name: str, calls: list[str]) -> None:
    read = getattr(recorder, name)

    def count(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return read(*args, **kwargs)

    setattr(recorder, name, count)


def test_a_command_reads_what_another_process_saved_to_its_aggregates_in_one_query(
        services: Any, own_ledger: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.NO)  # both now cached by this process
    elsewhere = Scenario(CommandBus(own_ledger), scenario.tenant)
    elsewhere.answer(client, review, standard, Answer.YES)
    elsewhere.bus.handle(ReviseStandard(standard_id=standard, reason="clearer",
                                        changes={"how_to_check": "Open the console."}),
                         scenario.committee)
    services.ledger.recorder._contiguous_groups = 0  # as once this process has seen those writes
    calls: list[str] = []
    for name in ("select_events", "select_events_after"):
        counted(services.ledger.recorder, name, calls)

    result = services.bus.handle(RecordAnswer(client_id=client, review_id=review,
                                              standard_id=standard, answer=Answer.NO),
                                 scenario.tam)

    stored = own_ledger.recorder.select_events(client, desc=True, limit=1)[0]
    assert (calls, result.version) == (["select_events_after"], stored.originator_version)
