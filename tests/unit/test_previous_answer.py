"""The previous answer a reviewer sees: the one from the client's last completed review."""

from uuid import UUID

from aggregates.client import Client
from commands.results import Actor
from commands.standards import ReviseStandard
from events.vocabulary import Answer
from tests.unit.scenario import Scenario


def load(scenario: Scenario, client_id: UUID) -> Client:
    return scenario.ledger.load_client(Actor(scenario.tenant, "reader", "viewer"), client_id)


def test_previous_answer_comes_from_the_last_completed_review(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    scenario.completed_review(client, {standard: Answer.YES})
    third = scenario.start(client)
    scenario.answer(client, third, standard, Answer.NO)

    previous = load(scenario, client).previous_answer(standard)

    assert previous is not None
    assert previous.answer is Answer.YES


def test_an_answer_in_the_open_review_is_never_the_previous_answer(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    second = scenario.start(client)
    scenario.answer(client, second, standard, Answer.YES)

    previous = load(scenario, client).previous_answer(standard)

    assert previous is not None
    assert previous.answer is Answer.NO


def test_a_changed_answer_counts_as_its_last_value(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    first = scenario.start(client)
    scenario.answer(client, first, standard, Answer.NO)
    scenario.answer(client, first, standard, Answer.NOT_APPLICABLE)
    scenario.complete(client, first)
    scenario.start(client)

    previous = load(scenario, client).previous_answer(standard)

    assert previous is not None
    assert previous.answer is Answer.NOT_APPLICABLE


def test_a_client_on_its_first_review_has_no_previous_answer(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    first = scenario.start(client)
    scenario.answer(client, first, standard, Answer.NO)

    assert load(scenario, client).previous_answer(standard) is None


def test_previous_answer_keeps_the_revision_it_was_given_against(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    scenario.bus.handle(ReviseStandard(
        standard_id=standard, changes={"question": "Is the control enforced by policy?"},
        reason="checking by hand was not enough"), scenario.committee)
    second = scenario.start(client)
    scenario.answer(client, second, standard, Answer.NO)

    previous = load(scenario, client).previous_answer(standard)

    assert previous is not None
    assert previous.standard_revision == 1


def test_a_review_of_other_categories_does_not_hide_the_previous_answer(
        scenario: Scenario) -> None:
    firewall = scenario.standard(category="firewalls")
    email = scenario.standard(category="email")
    client = scenario.client()
    scenario.completed_review(client, {firewall: Answer.NO, email: Answer.YES})
    email_only = scenario.start(client, categories=["email"])
    scenario.answer(client, email_only, email, Answer.YES)
    scenario.complete(client, email_only)
    scenario.start(client)

    previous = load(scenario, client).previous_answer(firewall)

    assert previous is not None
    assert previous.answer is Answer.NO
