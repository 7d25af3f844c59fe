"""Erasing a decision maker on request: the key goes, an audit event stays, nothing else moves."""

from uuid import UUID, uuid4

import pytest

from aggregates.errors import PersonAlreadyErasedError, UnknownDecisionMakerError
from commands.clients import AddDecisionMaker, EraseDecisionMaker, RemoveDecisionMaker
from commands.personal_data import ERASED
from commands.results import Actor
from runtime.personal_vault import InMemoryVault
from tests.unit.scenario import Scenario


def added(scenario: Scenario, admin: Actor, client_id: UUID) -> UUID:
    result = scenario.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner",
                                                  title="Managing partner", phone="+1 555 0100"), admin)
    assert result.created_id is not None
    return result.created_id


def sealed_name(scenario: Scenario, admin: Actor, client_id: UUID, person: UUID) -> str:
    client = scenario.ledger.load_client(admin, client_id)
    events = scenario.ledger.repository.event_store.get(client_id)
    return next(e.sealed_name for e in events
                if isinstance(e, client.DecisionMakerAdded) and e.decision_maker_id == person)


def test_erasing_records_who_erased_whom_and_why(scenario: Scenario, admin: Actor) -> None:
    client_id = scenario.client()
    person = added(scenario, admin, client_id)

    result = scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=person,
                                                    reason="erasure request of 2026-11-20"), admin)

    last = scenario.ledger.repository.event_store.get(client_id, gt=result.version - 1)
    event = next(iter(last))
    assert (type(event).__name__, event.decision_maker_id, event.reason, event.by) == (
        "DecisionMakerErased", person, "erasure request of 2026-11-20", "ada.admin")


def test_after_erasure_the_name_in_the_log_reads_as_erased(
        scenario: Scenario, memory_vault: InMemoryVault, admin: Actor) -> None:
    client_id = scenario.client()
    person = added(scenario, admin, client_id)
    assert memory_vault.unseal(person, sealed_name(scenario, admin, client_id, person)) == "Dana Owner"

    scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=person,
                                           reason="request"), admin)

    assert memory_vault.unseal(person, sealed_name(scenario, admin, client_id, person)) == ERASED


def test_a_removed_decision_maker_can_still_be_erased(scenario: Scenario, admin: Actor) -> None:
    client_id = scenario.client()
    person = added(scenario, admin, client_id)
    scenario.bus.handle(RemoveDecisionMaker(client_id=client_id, decision_maker_id=person), admin)

    scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=person,
                                           reason="request"), admin)

    assert person in scenario.ledger.load_client(admin, client_id).people_erased


def test_erasing_twice_is_refused_as_already_done(scenario: Scenario, admin: Actor) -> None:
    client_id = scenario.client()
    person = added(scenario, admin, client_id)
    erase = EraseDecisionMaker(client_id=client_id, decision_maker_id=person, reason="request")
    scenario.bus.handle(erase, admin)

    with pytest.raises(PersonAlreadyErasedError) as refused:
        scenario.bus.handle(erase, admin)
    assert refused.value.field == "decision_maker_id"


def test_erasing_someone_the_client_never_had_keeps_their_key(
        scenario: Scenario, memory_vault: InMemoryVault, admin: Actor) -> None:
    client_id, other_client = scenario.client("Client A"), scenario.client("Client B")
    person = added(scenario, admin, other_client)
    version = scenario.ledger.load_client(admin, client_id).version

    with pytest.raises(UnknownDecisionMakerError) as refused:
        scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=person,
                                               reason="request"), admin)

    assert refused.value.field == "decision_maker_id"
    assert memory_vault.unseal(person, sealed_name(scenario, admin, other_client, person)) == "Dana Owner"
    assert scenario.ledger.load_client(admin, client_id).version == version


def test_erasing_an_unknown_person_is_refused(scenario: Scenario, admin: Actor) -> None:
    client_id = scenario.client()

    with pytest.raises(UnknownDecisionMakerError):
        scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=uuid4(),
                                               reason="request"), admin)
