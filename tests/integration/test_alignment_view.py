"""What the client alignment read model shows a reviewer, read back from PostgreSQL."""

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.standards import ReviseStandard
from events.vocabulary import Answer, Priority, Rating
from projections.client_alignment import AlignmentItem, ClientAlignment
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def alignment(services: Any, scenario: Scenario, client: UUID) -> ClientAlignment:
    services.projectors["client_alignment"].catch_up()
    found = services.alignment.alignment(scenario.tenant, client)
    assert found is not None
    return found


def item(view: ClientAlignment, standard: UUID) -> AlignmentItem:
    return next(i for i in view.items if i.standard_id == standard)


def test_previous_answer_is_the_last_completed_reviews_while_a_third_is_open(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    second = scenario.completed_review(client, {standard: Answer.YES})
    third = scenario.start(client)
    scenario.answer(client, third, standard, Answer.NO)

    view = alignment(services, scenario, client)

    assert (view.review_id, view.review_number, view.review_status) == (third, 3, "answering")
    assert view.previous_review_id == second
    assert (item(view, standard).answer, item(view, standard).previous_answer) == ("no", "yes")


def test_a_standard_not_yet_answered_in_the_open_review_still_shows_its_previous_answer(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    scenario.completed_review(client, {standard: Answer.NOT_APPLICABLE})
    scenario.start(client)

    view = alignment(services, scenario, client)

    assert item(view, standard).answer is None
    assert item(view, standard).previous_answer == "not_applicable"


def test_once_the_third_review_completes_the_second_becomes_previous(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    second = scenario.completed_review(client, {standard: Answer.YES})
    third = scenario.completed_review(client, {standard: Answer.NO})

    view = alignment(services, scenario, client)

    assert (view.review_id, view.review_status, view.previous_review_id) == (
        third, "finalised", second)
    assert (item(view, standard).answer, item(view, standard).previous_answer) == ("no", "yes")


def test_the_view_scores_the_current_review_with_the_briefs_formula(
        services: Any, scenario: Scenario) -> None:
    high = scenario.standard(priority=Priority.HIGH)
    medium = scenario.standard(priority=Priority.MEDIUM)
    low = scenario.standard(category="email", priority=Priority.LOW)
    not_applicable = scenario.standard(category="email", priority=Priority.HIGH)
    scenario.standard(category="email", priority=Priority.MEDIUM)  # left unanswered
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, high, Answer.YES)
    scenario.answer(client, review, medium, Answer.NO)
    scenario.rate(client, review, medium, Rating.MARGINAL)
    scenario.answer(client, review, low, Answer.NO)
    scenario.answer(client, review, not_applicable, Answer.NOT_APPLICABLE)

    view = alignment(services, scenario, client)

    assert view.score == Decimal("72.22")  # 100 * (5 + 1.5 + 0) / 9
    assert (view.answered, view.not_applicable, view.unanswered) == (3, 1, 1)
    assert {c.category: c.score for c in view.categories} == {
        "email": Decimal("0.00"), "firewalls": Decimal("81.25")}
    assert [i.standard_id for i in view.misaligned] == [medium, low]


def test_an_answer_shows_the_revision_and_wording_it_was_given_against(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.YES)
    scenario.bus.handle(ReviseStandard(
        standard_id=standard, changes={"question": "Is the firmware under 6 months old?"},
        reason="vendor now ships monthly fixes"), scenario.committee)

    answered = item(alignment(services, scenario, client), standard)

    assert (answered.answered_revision, answered.current_revision) == (1, 2)
    assert answered.question == "Is control 0 of firewalls in place?"


def test_a_review_of_other_categories_does_not_hide_a_standards_previous_answer(
        services: Any, scenario: Scenario) -> None:
    firewall = scenario.standard(category="firewalls")
    email = scenario.standard(category="email")
    client = scenario.client()
    scenario.completed_review(client, {firewall: Answer.NO, email: Answer.YES})
    email_only = scenario.start(client, categories=["email"])
    scenario.answer(client, email_only, email, Answer.YES)
    scenario.complete(client, email_only)
    scenario.start(client)

    view = alignment(services, scenario, client)

    assert item(view, firewall).previous_answer == "no"
