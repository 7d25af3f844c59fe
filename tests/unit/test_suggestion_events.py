"""What a ``StandardSuggestion`` records when made, accepted or declined, and what it refuses."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.errors import InvalidValueError
from aggregates.standard_suggestion import StandardSuggestion, SuggestionDecidedError
from events.vocabulary import SuggestionKind
from tests.unit.client_steps import last_event, refusal

STANDARD_ID = uuid4()
CLIENT_ID = uuid4()


def suggested(kind: Any = SuggestionKind.CHANGE) -> StandardSuggestion:
    return StandardSuggestion(tenant="msp-1", kind=kind, text="Ask about MFA too",
                              standard_id=STANDARD_ID, standard_key="FIR-001", client_id=CLIENT_ID,
                              client_name="Acme", by="vera", by_role="vcio")


def test_a_suggestion_records_every_field() -> None:
    suggestion = suggested()

    event = last_event(suggestion)
    assert (type(event), event.tenant, event.kind, event.text, event.standard_id, event.standard_key,
            event.client_id, event.client_name, event.by, event.by_role) == (
        StandardSuggestion.StandardSuggested, "msp-1", SuggestionKind.CHANGE, "Ask about MFA too",
        STANDARD_ID, "FIR-001", CLIENT_ID, "Acme", "vera", "vcio")


def test_a_new_suggestion_is_open_and_holds_what_was_suggested_with_its_kind_typed() -> None:
    suggestion = suggested("change")

    assert (suggestion.kind, suggestion.text, suggestion.standard_id, suggestion.standard_key,
            suggestion.client_id, suggestion.client_name, suggestion.by, suggestion.status,
            suggestion.change_set_id) == (
        SuggestionKind.CHANGE, "Ask about MFA too", STANDARD_ID, "FIR-001", CLIENT_ID, "Acme", "vera",
        "open", None)


def test_a_suggested_change_that_names_no_standard_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: StandardSuggestion.check_change_names_its_standard(
        "change", None)) == ("standard_id", "a suggested change names the standard to change")  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "standard_id"), [
    (SuggestionKind.NEW_STANDARD, None), (SuggestionKind.CHANGE, STANDARD_ID)])
def test_a_new_standard_needs_no_standard_and_a_change_names_one(
        kind: SuggestionKind, standard_id: UUID | None) -> None:
    checked = StandardSuggestion.check_change_names_its_standard(kind, standard_id)

    assert checked is None  # no InvalidValueError


def test_accepting_records_the_change_set_and_item_and_closes_the_suggestion() -> None:
    suggestion = suggested()
    change_set_id, item_id = uuid4(), uuid4()

    suggestion.accept(change_set_id=change_set_id, item_id=item_id, by="carla")

    event = last_event(suggestion)
    assert (type(event), event.change_set_id, event.item_id, event.by) == (
        StandardSuggestion.SuggestionAccepted, change_set_id, item_id, "carla")
    assert (suggestion.status, suggestion.change_set_id) == ("accepted", change_set_id)


def test_declining_records_the_reason_and_closes_the_suggestion() -> None:
    suggestion = suggested()

    suggestion.decline(reason="covered by FIR-002", by="carla")

    event = last_event(suggestion)
    assert (type(event), event.reason, event.by, suggestion.status) == (
        StandardSuggestion.SuggestionDeclined, "covered by FIR-002", "carla", "declined")


def test_declining_without_a_reason_is_refused() -> None:
    suggestion = suggested()

    assert refusal(InvalidValueError, lambda: suggestion.decline(reason=" ", by="carla")) == (
        "reason", "declining a suggestion needs a reason")


def test_deciding_an_accepted_suggestion_again_is_refused_naming_its_state() -> None:
    suggestion = suggested()
    suggestion.accept(change_set_id=uuid4(), item_id=uuid4(), by="carla")

    assert refusal(SuggestionDecidedError, lambda: suggestion.decline(reason="no", by="carla")) == (
        "suggestion_id", "the suggestion was already accepted")


def test_accepting_a_declined_suggestion_is_refused() -> None:
    suggestion = suggested()
    suggestion.decline(reason="no", by="carla")

    assert refusal(SuggestionDecidedError, lambda: suggestion.accept(
        change_set_id=uuid4(), item_id=uuid4(), by="carla")) == (
        "suggestion_id", "the suggestion was already declined")


def test_a_decision_carries_the_suggestion_s_tenant() -> None:
    suggestion = suggested()

    suggestion.decline(reason="covered", by="carla")

    assert (suggestion.tenant, last_event(suggestion).tenant) == ("msp-1", "msp-1")
