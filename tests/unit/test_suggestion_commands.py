"""What the suggestion commands record through the bus: the handler's share (the looked-up key
and client name, the author and their role, the expected version, the idempotency key); the
aggregate's rules are pinned in test_suggestions.py."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from aggregates.errors import NotFoundError
from aggregates.standard_suggestion import StandardSuggestion
from commands.base import Command
from commands.change_sets import OpenChangeSet, ProposeRevision
from commands.suggestions import AcceptSuggestion, DeclineSuggestion, SuggestStandard
from events.vocabulary import SuggestionKind
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 7, 1, 9, 0, tzinfo=UTC)


def suggested(scenario: Scenario, standard_id: UUID | None = None, client_id: UUID | None = None,
              key: str | None = None) -> UUID:
    kind = SuggestionKind.NEW_STANDARD if standard_id is None else SuggestionKind.CHANGE
    return scenario.bus.handle(SuggestStandard(kind=kind, text="Ask for 12 months.", standard_id=standard_id,
                                               client_id=client_id), scenario.tam, NOW, key).aggregate_id


def proposal(scenario: Scenario) -> tuple[UUID, UUID]:
    standard_id = scenario.standard()
    change_set = scenario.bus.handle(OpenChangeSet(title="firmware", reason="suggested"), scenario.committee,
                                     NOW).aggregate_id
    item = scenario.bus.handle(ProposeRevision(change_set_id=change_set, standard_id=standard_id,
                                               changes={"priority": "low"}, reason="lower"),
                               scenario.committee, NOW).created_id
    assert item is not None
    return change_set, item


def test_a_suggested_change_records_the_standards_key_the_clients_name_and_the_authors_role(
        scenario: Scenario) -> None:
    standard_id, client_id = scenario.standard(category="backups"), scenario.client("Acme Dental")

    suggestion_id = suggested(scenario, standard_id, client_id)

    [event] = recorded(scenario, suggestion_id, StandardSuggestion.StandardSuggested)
    key = scenario.ledger.load_standard(scenario.tam, standard_id).key
    assert (event.tenant, event.kind, event.text, event.standard_id, event.standard_key, event.client_id,
            event.client_name, event.by, event.by_role) == (
        scenario.tenant, SuggestionKind.CHANGE, "Ask for 12 months.", standard_id, key, client_id,
        "Acme Dental", "tom.tam", "tam")


def test_a_suggested_new_standard_without_a_finding_names_no_standard_or_client(scenario: Scenario) -> None:
    suggestion_id = suggested(scenario)

    [event] = recorded(scenario, suggestion_id, StandardSuggestion.StandardSuggested)
    assert (event.kind, event.standard_id, event.standard_key, event.client_id, event.client_name) == (
        SuggestionKind.NEW_STANDARD, None, None, None, None)


def test_a_suggestion_under_an_idempotency_key_gets_the_id_derived_from_that_key(scenario: Scenario) -> None:
    suggestion_id = suggested(scenario, key="suggest-1")

    assert suggestion_id == scenario.ledger.new_id(scenario.tam, "suggest-1", "suggestion")


def test_a_suggestion_naming_an_unknown_standard_is_refused(scenario: Scenario) -> None:
    with pytest.raises(NotFoundError) as refused:
        suggested(scenario, uuid4())

    assert refused.value.field == "standard_id"


def test_accepting_records_the_change_set_the_item_and_the_author(scenario: Scenario) -> None:
    suggestion_id = suggested(scenario)
    change_set, item = proposal(scenario)

    scenario.bus.handle(AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set, item_id=item),
                        scenario.committee, NOW)

    [event] = recorded(scenario, suggestion_id, StandardSuggestion.SuggestionAccepted)
    assert (event.change_set_id, event.item_id, event.by) == (change_set, item, "carla.committee")


def test_accepting_as_an_item_the_change_set_lacks_is_refused_naming_the_item(scenario: Scenario) -> None:
    suggestion_id = suggested(scenario)
    change_set, _ = proposal(scenario)

    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set,
                                             item_id=uuid4()), scenario.committee, NOW)

    assert (refused.value.field, refused.value.reason) == (
        "item_id", "the change set has no proposal with this id")


def test_declining_records_the_reason_and_the_author(scenario: Scenario) -> None:
    suggestion_id = suggested(scenario)

    scenario.bus.handle(DeclineSuggestion(suggestion_id=suggestion_id, reason="covered by BAK-002"),
                        scenario.committee, NOW)

    [event] = recorded(scenario, suggestion_id, StandardSuggestion.SuggestionDeclined)
    assert (event.reason, event.by) == ("covered by BAK-002", "carla.committee")


def decisions(scenario: Scenario, stale: bool) -> list[Command]:
    suggestion_id = suggested(scenario)
    change_set, item = proposal(scenario)
    at = version(scenario, suggestion_id) + 1 if stale else None  # a new suggestion is at version 1
    return [AcceptSuggestion(suggestion_id=suggestion_id, change_set_id=change_set, item_id=item,
                             expected_version=at),
            DeclineSuggestion(suggestion_id=suggestion_id, reason="no", expected_version=at)]


@pytest.mark.parametrize("position", range(2))
def test_a_decision_with_an_expected_version_other_than_the_current_one_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, decisions(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(2))
def test_a_decision_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, decisions(scenario, False)[position], NOW)


def test_a_suggestion_sent_again_under_its_idempotency_key_records_nothing_more(scenario: Scenario) -> None:
    command = SuggestStandard(kind=SuggestionKind.NEW_STANDARD, text="More MFA.")

    assert replayed_without_recording(scenario, command, NOW)


def test_a_decision_on_an_unknown_suggestion_is_refused_naming_the_suggestion(scenario: Scenario) -> None:
    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(DeclineSuggestion(suggestion_id=uuid4(), reason="no"), scenario.committee, NOW)

    assert refused.value.field == "suggestion_id"
