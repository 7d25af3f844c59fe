"""The replay names the answers a meaning-changing revision puts in doubt, proposed or published,
even when their state (aligned, misaligned) does not move."""

from typing import Any

import pytest

from commands.change_sets import OpenChangeSet, ProposeRevision, load_change_set
from commands.standards import ReviseStandard
from events.vocabulary import Answer
from projections.as_of import AsOfProjection
from projections.impact import (
    CurrentLibrary,
    ImpactView,
    ItemChange,
    ProposedLibrary,
    overlay_from_change_set,
)
from projections.runner import BatchProjector
from tests.integration.conftest import projector_for
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

NEW_WORDS = "Is control 0 enforced by group policy on every firewall?"


@pytest.fixture(scope="module")
def as_of_projector(services: Any) -> BatchProjector:
    return projector_for(services, AsOfProjection())


def test_a_proposed_rewording_lists_the_answers_it_puts_in_doubt(
        services: Any, scenario: Scenario, as_of_projector: BatchProjector) -> None:
    standard, other = scenario.standard(), scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES, other: Answer.YES})
    change_set = scenario.bus.handle(OpenChangeSet(title="wording", reason="yearly review"),
                                     scenario.committee).aggregate_id
    scenario.bus.handle(ProposeRevision(change_set_id=change_set, standard_id=standard,
                                        changes={"question": NEW_WORDS}, reason="hand checks missed drift"),
                        scenario.committee)
    as_of_projector.catch_up()
    target = ProposedLibrary(overlay_from_change_set(load_change_set(scenario.ledger, scenario.committee,
                                                                     change_set)))

    report = ImpactView(services.reader).replay(scenario.tenant, target)

    key = services.ledger.load_standard(scenario.committee, standard).key
    assert report.clients[0].changes == (ItemChange(standard, key, "aligned", "aligned", True),)
    assert (report.total.items_changed, report.total.meaning_changes, report.total.transitions) == (1, 1, {})


def test_a_published_rewording_lists_answers_given_to_the_old_words_against_the_current_library(
        services: Any, scenario: Scenario, as_of_projector: BatchProjector) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    scenario.bus.handle(ReviseStandard(standard_id=standard, changes={"question": NEW_WORDS},
                                       reason="hand checks missed drift"), scenario.committee)
    as_of_projector.catch_up()

    report = ImpactView(services.reader).replay(scenario.tenant, CurrentLibrary())

    assert [(c.old_state, c.new_state, c.meaning_changed) for c in report.clients[0].changes] == [
        ("misaligned", "misaligned", True)]


def test_a_revision_of_guidance_only_changes_no_item(
        services: Any, scenario: Scenario, as_of_projector: BatchProjector) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    scenario.bus.handle(ReviseStandard(standard_id=standard, changes={"how_to_check": "Open the console."},
                                       reason="clearer steps"), scenario.committee)
    as_of_projector.catch_up()

    report = ImpactView(services.reader).replay(scenario.tenant, CurrentLibrary())

    assert report.clients[0].changes == ()
