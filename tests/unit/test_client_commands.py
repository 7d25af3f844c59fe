"""What each client relationship command records through the bus: the handler's share (the
values passed on, defaults taken from the call, sealed personal data, the expected version, the
idempotency key); the aggregate's own rules are pinned in test_client_lifecycle.py and
test_erasure.py."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from aggregates.client import Client
from commands.base import Command
from commands.clients import (
    AddDecisionMaker,
    ChangeClientProfile,
    EraseDecisionMaker,
    OffboardClient,
    OnboardClient,
    RemoveDecisionMaker,
    ReonboardClient,
)
from runtime.personal_vault import InMemoryVault
from tests.unit.command_checks import admin, recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 3, 9, 15, 45, tzinfo=UTC)


def onboarding(fiscal_start: int | None = None) -> OnboardClient:
    extra = {} if fiscal_start is None else {"fiscal_year_start_month": fiscal_start}
    return OnboardClient(name="Birch & Co", mrr=Decimal("4200.50"), user_count=31, complexity=4,
                         industry="dental", vcio="vera.vcio", tam="tom.tam", **extra)


def person(scenario: Scenario, client_id: UUID) -> UUID:
    result = scenario.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner"), scenario.vcio, NOW)
    assert result.created_id is not None
    return result.created_id


def test_onboarding_records_every_profile_value_the_tenant_and_the_author(scenario: Scenario) -> None:
    result = scenario.bus.handle(onboarding(fiscal_start=7), scenario.vcio, NOW)

    [event] = recorded(scenario, result.aggregate_id, Client.ClientOnboarded)
    assert (event.tenant, event.name, event.mrr, event.user_count, event.complexity, event.industry,
            event.fiscal_year_start_month, event.vcio, event.tam, event.by) == (
        scenario.tenant, "Birch & Co", Decimal("4200.50"), 31, 4, "dental", 7, "vera.vcio", "tom.tam",
        "vera.vcio")


def test_a_client_onboarded_without_a_fiscal_year_start_has_a_calendar_fiscal_year(
        scenario: Scenario) -> None:
    result = scenario.bus.handle(onboarding(), scenario.vcio, NOW)

    [event] = recorded(scenario, result.aggregate_id, Client.ClientOnboarded)
    assert event.fiscal_year_start_month == 1


def test_onboarding_sent_again_under_its_idempotency_key_names_the_same_client_once(
        scenario: Scenario) -> None:
    assert replayed_without_recording(scenario, onboarding(), NOW)


def test_onboarding_under_an_idempotency_key_gives_the_client_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    result = scenario.bus.handle(onboarding(), scenario.vcio, NOW, "onboard-1")

    assert result.aggregate_id == scenario.ledger.new_id(scenario.vcio, "onboard-1", "client")


def test_a_profile_change_records_the_changes_the_day_given_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(ChangeClientProfile(client_id=client_id, changes={"user_count": 40, "tam": "tia.tam"},
                                            effective_on=date(2027, 4, 1)), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientProfileChanged)
    assert (event.changes, event.effective_on, event.by) == (
        {"user_count": 40, "tam": "tia.tam"}, date(2027, 4, 1), "vera.vcio")


def test_a_profile_change_without_a_day_holds_from_the_day_of_the_call(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(ChangeClientProfile(client_id=client_id, changes={"user_count": 40}),
                        scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientProfileChanged)
    assert event.effective_on == date(2027, 3, 9)


def test_a_decision_maker_is_recorded_with_sealed_name_email_and_phone_under_the_new_id(
        scenario: Scenario, memory_vault: InMemoryVault) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(AddDecisionMaker(
        client_id=client_id, name="Dana Owner", title="Managing partner", email="dana@birch.example",
        phone="+1 555 0100"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.DecisionMakerAdded)
    assert (event.decision_maker_id, event.title, event.by) == (
        result.created_id, "Managing partner", "vera.vcio")
    assert [memory_vault.unseal(event.decision_maker_id, sealed) for sealed in (
        event.sealed_name, event.sealed_email, event.sealed_phone)] == [
        "Dana Owner", "dana@birch.example", "+1 555 0100"]
    assert "Dana" not in event.sealed_name


def test_a_decision_maker_without_an_email_has_an_empty_one_sealed(
        scenario: Scenario, memory_vault: InMemoryVault) -> None:
    client_id = scenario.client()

    person(scenario, client_id)

    [event] = recorded(scenario, client_id, Client.DecisionMakerAdded)
    assert memory_vault.unseal(event.decision_maker_id, event.sealed_email) == ""


def test_adding_a_decision_maker_under_an_idempotency_key_derives_the_persons_id_from_it(
        scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(AddDecisionMaker(client_id=client_id, name="Dana Owner"), scenario.vcio,
                                 NOW, "add-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "add-1", "decision-maker")


def test_removing_a_decision_maker_records_the_person_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()
    person_id = person(scenario, client_id)

    scenario.bus.handle(RemoveDecisionMaker(client_id=client_id, decision_maker_id=person_id,
                                            reason="left the firm"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.DecisionMakerRemoved)
    assert (event.decision_maker_id, event.reason, event.by) == (person_id, "left the firm", "vera.vcio")


def test_erasing_a_decision_maker_destroys_their_key(scenario: Scenario, memory_vault: InMemoryVault) -> None:
    client_id = scenario.client()
    person_id = person(scenario, client_id)
    [added] = recorded(scenario, client_id, Client.DecisionMakerAdded)

    scenario.bus.handle(EraseDecisionMaker(client_id=client_id, decision_maker_id=person_id,
                                           reason="erasure request"), admin(scenario), NOW)

    assert memory_vault.unseal(person_id, added.sealed_name) != "Dana Owner"


def test_offboarding_records_the_day_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    scenario.bus.handle(OffboardClient(client_id=client_id, effective_on=date(2027, 6, 1),
                                       reason="contract not renewed"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientOffboarded)
    assert (event.effective_on, event.reason, event.by) == (
        date(2027, 6, 1), "contract not renewed", "vera.vcio")


def test_re_onboarding_records_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id = scenario.client()
    scenario.bus.handle(OffboardClient(client_id=client_id, effective_on=date(2027, 6, 1),
                                       reason="contract not renewed"), scenario.vcio, NOW)

    scenario.bus.handle(ReonboardClient(client_id=client_id, reason="came back"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ClientReonboarded)
    assert (event.reason, event.by) == ("came back", "vera.vcio")


def active(scenario: Scenario) -> tuple[UUID, UUID]:
    client_id = scenario.client()
    return client_id, person(scenario, client_id)


def changes(client_id: UUID, person_id: UUID, stale: int | None) -> list[Command]:
    return [
        ChangeClientProfile(client_id=client_id, changes={"user_count": 40}, expected_version=stale),
        AddDecisionMaker(client_id=client_id, name="Eli Second", expected_version=stale),
        RemoveDecisionMaker(client_id=client_id, decision_maker_id=person_id, expected_version=stale),
        OffboardClient(client_id=client_id, effective_on=date(2027, 6, 1), reason="gone",
                       expected_version=stale),
    ]


@pytest.mark.parametrize("position", range(4))
def test_every_client_change_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    client_id, person_id = active(scenario)
    stale = version(scenario, client_id) - 1

    refused = refused_as_stale(scenario, changes(client_id, person_id, stale)[position], NOW)

    assert refused.field == "expected_version"


def test_re_onboarding_with_a_stale_expected_version_is_refused_as_a_conflict(scenario: Scenario) -> None:
    client_id = scenario.client()
    scenario.bus.handle(OffboardClient(client_id=client_id, effective_on=date(2027, 6, 1), reason="gone"),
                        scenario.vcio, NOW)

    refused = refused_as_stale(scenario, ReonboardClient(
        client_id=client_id, expected_version=version(scenario, client_id) - 1), NOW)

    assert refused.field == "expected_version"


@pytest.mark.parametrize("position", range(4))
def test_every_client_change_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    client_id, person_id = active(scenario)

    assert replayed_without_recording(scenario, changes(client_id, person_id, None)[position], NOW)


@pytest.mark.parametrize("arrange", [
    lambda s, c, p: EraseDecisionMaker(client_id=c, decision_maker_id=p, reason="request"),
    lambda s, c, p: (s.bus.handle(OffboardClient(client_id=c, effective_on=date(2027, 6, 1), reason="gone"),
                                  s.vcio, NOW), ReonboardClient(client_id=c))[1],
])
def test_erasing_and_re_onboarding_sent_again_under_their_idempotency_key_record_nothing_more(
        scenario: Scenario, arrange: Callable[[Scenario, UUID, UUID], Command]) -> None:
    client_id, person_id = active(scenario)

    assert replayed_without_recording(scenario, arrange(scenario, client_id, person_id), NOW)
