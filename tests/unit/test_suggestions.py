"""Suggestions to the committee: sent by the people who find the gaps, decided once."""

from uuid import UUID, uuid4

import pytest

from aggregates.change_set import ChangeSetNotOpenError
from aggregates.errors import InvalidValueError, NotFoundError
from aggregates.standard_suggestion import StandardSuggestion, SuggestionDecidedError
from commands.change_sets import DiscardChangeSet, OpenChangeSet, ProposeRevision
from commands.suggestions import AcceptSuggestion, DeclineSuggestion, SuggestStandard
from events.vocabulary import SuggestionKind
from tests.unit.scenario import Scenario


def suggest_change(scenario: Scenario, standard: UUID, client: UUID | None = None) -> UUID:
    return scenario.bus.handle(SuggestStandard(
        kind=SuggestionKind.CHANGE, text="Ask for 12 months of firmware, not 24.",
        standard_id=standard, client_id=client), scenario.tam).aggregate_id


def change_set_with_revision(scenario: Scenario, standard: UUID) -> tuple[UUID, UUID]:
    change_set = scenario.bus.handle(OpenChangeSet(title="firmware", reason="suggested"),
                                     scenario.committee).aggregate_id
    item = scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard, changes={"question": "Is firmware under 12 months?"},
        reason="a TAM found 18-month-old firmware passing"), scenario.committee).created_id
    assert item is not None
    return change_set, item


def test_a_suggestion_records_the_standard_key_and_client_name_of_the_finding(scenario: Scenario) -> None:
    standard, client = scenario.standard(), scenario.client("Acme Dental")

    suggestion_id = suggest_change(scenario, standard, client)

    suggestion = scenario.ledger.load(scenario.tam, StandardSuggestion, suggestion_id, "suggestion_id")
    key = scenario.ledger.load_standard(scenario.tam, standard).key
    assert (suggestion.status, suggestion.standard_key, suggestion.client_name, suggestion.by) == (
        "open", key, "Acme Dental", "tom.tam")


def test_a_suggested_change_must_name_its_standard(scenario: Scenario) -> None:
    with pytest.raises(InvalidValueError) as refused:
        scenario.bus.handle(SuggestStandard(kind=SuggestionKind.CHANGE, text="Tighten it."), scenario.vcio)

    assert refused.value.field == "standard_id"


def test_a_suggestion_naming_an_unknown_client_is_refused(scenario: Scenario) -> None:
    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(SuggestStandard(kind=SuggestionKind.NEW_STANDARD, text="Cover MDM.",
                                            client_id=uuid4()), scenario.vcio)

    assert refused.value.field == "client_id"


def test_accepting_links_the_suggestion_to_a_proposal_of_an_open_change_set(scenario: Scenario) -> None:
    standard = scenario.standard()
    suggestion_id = suggest_change(scenario, standard)
    change_set, item = change_set_with_revision(scenario, standard)

    scenario.bus.handle(AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set, item_id=item),
                        scenario.committee)

    suggestion = scenario.ledger.load(scenario.committee, StandardSuggestion, suggestion_id, "suggestion_id")
    assert (suggestion.status, suggestion.change_set_id) == ("accepted", change_set)


def test_a_suggestion_cannot_be_accepted_as_a_proposal_the_change_set_lacks(scenario: Scenario) -> None:
    standard = scenario.standard()
    suggestion_id = suggest_change(scenario, standard)
    change_set, _ = change_set_with_revision(scenario, standard)

    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set,
                                             item_id=uuid4()), scenario.committee)

    assert refused.value.field == "item_id"


def test_a_suggestion_cannot_be_accepted_into_a_discarded_change_set(scenario: Scenario) -> None:
    standard = scenario.standard()
    suggestion_id = suggest_change(scenario, standard)
    change_set, item = change_set_with_revision(scenario, standard)
    scenario.bus.handle(DiscardChangeSet(change_set_id=change_set, reason="wrong year"), scenario.committee)

    with pytest.raises(ChangeSetNotOpenError):
        scenario.bus.handle(AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set,
                                             item_id=item), scenario.committee)


def test_a_declined_suggestion_cannot_be_decided_again(scenario: Scenario) -> None:
    suggestion_id = suggest_change(scenario, scenario.standard())
    scenario.bus.handle(DeclineSuggestion(suggestion_id=suggestion_id, reason="already covered by FW-002"),
                        scenario.committee)

    with pytest.raises(SuggestionDecidedError):
        scenario.bus.handle(DeclineSuggestion(suggestion_id=suggestion_id, reason="again"),
                            scenario.committee)
