"""The rolling scorecard: the latest finalised answer to each standard in force, whichever
review gave it, and each standard due by its own frequency."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from events.vocabulary import Answer, ReviewFrequency
from projections.scorecard import Scorecard, ScorecardItem, ScorecardView
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def scorecard(services: Any, scenario: Scenario, client: UUID, today: date | None = None) -> Scorecard:
    services.projectors["client_alignment"].catch_up()
    found = ScorecardView(services.reader).scorecard(
        scenario.tenant, client, today or scenario.clock.date())
    assert found is not None
    return found


def item(card: Scorecard, standard: UUID) -> ScorecardItem:
    return next(i for i in card.items if i.standard_id == standard)


def test_a_partial_review_updates_only_the_standards_it_answered(
        services: Any, scenario: Scenario) -> None:
    mfa, backup = scenario.standard(), scenario.standard(category="backup")
    client = scenario.client()
    first = scenario.completed_review(client, {mfa: Answer.NO, backup: Answer.YES})
    second = scenario.completed_review(client, {mfa: Answer.YES})

    card = scorecard(services, scenario, client)

    assert (item(card, mfa).answer, item(card, mfa).review_id) == ("yes", second)
    assert (item(card, backup).answer, item(card, backup).review_id) == ("yes", first)
    assert card.score == Decimal("100.00")


def test_an_empty_review_leaves_the_scorecard_as_it_was(services: Any, scenario: Scenario) -> None:
    mfa, backup = scenario.standard(), scenario.standard(category="backup")
    client = scenario.client()
    scenario.completed_review(client, {mfa: Answer.YES, backup: Answer.NO})
    before = scorecard(services, scenario, client)
    scenario.completed_review(client, {})

    after = scorecard(services, scenario, client)

    assert (after.score, after.answered) == (before.score, 2)
    assert [i.standard_id for i in after.misaligned] == [backup]


def test_a_review_of_one_category_keeps_every_category_on_the_scorecard(
        services: Any, scenario: Scenario) -> None:
    mfa, backup = scenario.standard(), scenario.standard(category="backup")
    client = scenario.client()
    scenario.completed_review(client, {mfa: Answer.YES, backup: Answer.NO})
    backup_only = scenario.start(client, categories=["backup"])
    scenario.answer(client, backup_only, backup, Answer.YES)
    scenario.complete(client, backup_only)

    card = scorecard(services, scenario, client)

    assert {c.category: c.score for c in card.categories} == {
        "backup": Decimal("100.00"), "firewalls": Decimal("100.00")}


def test_an_open_review_does_not_change_the_scorecard_until_it_is_finalised(
        services: Any, scenario: Scenario) -> None:
    mfa = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {mfa: Answer.YES})
    review = scenario.start(client)
    scenario.answer(client, review, mfa, Answer.NO)

    assert item(scorecard(services, scenario, client), mfa).answer == "yes"


def test_each_standard_is_due_by_its_own_frequency_from_its_last_answer(
        services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    annual = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    scenario.completed_review(client, {monthly: Answer.YES, annual: Answer.YES})
    answered_on = item(scorecard(services, scenario, client), monthly).observed_at
    assert answered_on is not None

    card = scorecard(services, scenario, client, answered_on.date() + timedelta(days=40))

    assert item(card, monthly).due_on == date(2025, 2, 8)  # answered 2025-01-08, one month on
    assert (item(card, monthly).is_due, item(card, annual).is_due) == (True, False)
    assert item(card, annual).due_on == date(2026, 1, 9)
    assert card.due_categories == ["firewalls"]


def test_a_stale_answer_still_counts_but_not_towards_fresh_coverage(
        services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    annual = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    scenario.completed_review(client, {monthly: Answer.YES, annual: Answer.YES})

    card = scorecard(services, scenario, client, date(2025, 3, 1))

    assert (card.coverage, card.fresh_coverage, card.stale) == (Decimal("100.00"), Decimal("50.00"), 1)


def test_a_standard_never_answered_is_due_now(services: Any, scenario: Scenario) -> None:
    never = scenario.standard(category="email")
    client = scenario.client()

    card = scorecard(services, scenario, client)

    assert (item(card, never).is_due, item(card, never).due_on) == (True, None)
    assert card.due_categories == ["email"]
