"""Live alignment: beside the score as answered, the same answers scored against the library
as it is now, so a committee change shows on the client without opening replay."""

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.standards import ReviseStandard
from events.vocabulary import Answer, Priority
from projections.client_alignment import ClientAlignment
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def alignment(services: Any, scenario: Scenario, client: UUID) -> ClientAlignment:
    services.projectors["client_alignment"].catch_up()
    found = services.alignment.alignment(scenario.tenant, client)
    assert found is not None
    return found


def test_an_answer_to_a_retired_standard_leaves_the_score_against_the_library(
        services: Any, scenario: Scenario) -> None:
    kept, retired = scenario.standard(), scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, kept, Answer.NO)
    scenario.answer(client, review, retired, Answer.YES)
    scenario.retire(retired)

    view = alignment(services, scenario, client)

    # as answered: 100 * (5 * 0 + 5 * 1) / 10; against the library: the unrated no alone
    assert (view.score, view.score_against_library) == (Decimal("50.00"), Decimal("0.00"))


def test_a_standard_reweighted_since_the_answer_counts_at_its_new_priority_against_the_library(
        services: Any, scenario: Scenario) -> None:
    high = scenario.standard(priority=Priority.HIGH)
    lowered = scenario.standard(priority=Priority.HIGH)
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, high, Answer.NO)
    scenario.answer(client, review, lowered, Answer.YES)
    scenario.bus.handle(ReviseStandard(standard_id=lowered, changes={"priority": "low"},
                                       reason="compensating control in place"), scenario.committee)

    view = alignment(services, scenario, client)

    # as answered: 100 * 5 / 10 = 50.00; now: 100 * 1 / (5 + 1) = 16.67
    assert (view.score, view.score_against_library) == (Decimal("50.00"), Decimal("16.67"))
