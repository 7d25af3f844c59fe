"""Review areas fall due standard by standard: each standard by its own frequency from its
latest finalised answer; an area is due when any standard in it is."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from events.vocabulary import Answer, ReviewFrequency
from projections.client_directory import ClientDirectoryView, ReviewArea
from projections.scorecard import months_after
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def area(services: Any, scenario: Scenario, client: UUID, category: str) -> ReviewArea:
    services.projectors["client_directory"].catch_up()
    return next(a for a in ClientDirectoryView(services.reader).review_areas(scenario.tenant, client)
                if a.category == category)


def test_an_area_falls_due_a_month_after_its_monthly_standard_was_answered(
        services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    annual = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, monthly, Answer.YES)
    monthly_at = scenario.clock
    scenario.answer(client, review, annual, Answer.YES)
    scenario.complete(client, review)

    found = area(services, scenario, client, "firewalls")

    assert found.due_at is not None
    assert found.due_at.date() == months_after(monthly_at.date(), 1)


def test_the_annual_standard_makes_the_area_due_once_it_is_older_than_a_year(
        services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    annual = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, annual, Answer.YES)
    annual_at = scenario.clock
    scenario.answer(client, review, monthly, Answer.YES)
    scenario.complete(client, review)
    scenario.clock += timedelta(days=350)
    scenario.completed_review(client, {monthly: Answer.NO})

    found = area(services, scenario, client, "firewalls")

    assert found.due_at is not None
    assert found.due_at.date() == months_after(annual_at.date(), 12)


def test_an_empty_review_of_the_area_does_not_make_it_fresh(services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    client = scenario.client()
    scenario.completed_review(client, {monthly: Answer.YES})
    before = area(services, scenario, client, "firewalls").due_at
    scenario.clock += timedelta(days=40)
    scenario.completed_review(client, {})

    after = area(services, scenario, client, "firewalls")

    assert after.due_at == before
    assert after.is_due_by(scenario.clock.date())


def test_an_area_with_a_standard_never_answered_is_due_now(services: Any, scenario: Scenario) -> None:
    answered = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    scenario.completed_review(client, {answered: Answer.YES})

    found = area(services, scenario, client, "firewalls")

    assert (found.due_at, found.never_answered, found.standards) == (None, 1, 2)
    assert found.is_due_by(scenario.clock.date())


def overdue_on(services: Any, scenario: Scenario, day: date) -> list[tuple[UUID, str, date | None]]:
    services.projectors["vcio_dashboard"].catch_up()
    return [(a.client_id, a.category, a.due_at.date() if a.due_at else None)
            for a in services.vcio_dashboard.overdue_areas(scenario.tenant, day)]


def test_the_dashboard_lists_an_area_overdue_by_its_annual_standard_though_a_monthly_one_is_fresh(
        services: Any, scenario: Scenario) -> None:
    monthly = scenario.standard(frequency=ReviewFrequency.MONTHLY)
    annual = scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, annual, Answer.YES)
    annual_at = scenario.clock
    scenario.answer(client, review, monthly, Answer.YES)
    scenario.complete(client, review)
    scenario.clock += timedelta(days=350)
    scenario.completed_review(client, {monthly: Answer.NO})
    due = months_after(annual_at.date(), 12)

    overdue = overdue_on(services, scenario, due + timedelta(days=1))

    assert overdue == [(client, "firewalls", due)]


def test_the_dashboard_lists_an_area_never_answered_in_a_finalised_review_as_overdue(
        services: Any, scenario: Scenario) -> None:
    scenario.standard(frequency=ReviewFrequency.ANNUAL)
    client = scenario.client()
    scenario.completed_review(client, {})

    overdue = overdue_on(services, scenario, scenario.clock.date())

    assert overdue == [(client, "firewalls", None)]
