"""Which published standards a review's categories hold, folded from the standards' lifecycle
events: drafts and retired standards are out, a revised category moves a standard, another
tenant's library is never seen, and the log is read page by page to its end."""

from uuid import UUID

import pytest

import commands.review_scope as review_scope
from commands.review_scope import published_in_scope
from commands.standards import PublishStandard, ReviseStandard
from tests.unit.scenario import Scenario


def scope(scenario: Scenario, *categories: str) -> set[UUID]:
    return published_in_scope(scenario.ledger, scenario.tenant, categories)


def test_the_published_standards_of_the_named_categories_are_in_scope(scenario: Scenario) -> None:
    email, backups = scenario.standard(category="email"), scenario.standard(category="backups")
    scenario.standard(category="wireless")

    assert scope(scenario, "email", "backups") == {email, backups}


def test_without_categories_every_published_standard_is_in_scope(scenario: Scenario) -> None:
    email, backups = scenario.standard(category="email"), scenario.standard(category="backups")

    assert scope(scenario) == {email, backups}


def test_a_draft_is_out_of_scope_until_it_is_published(scenario: Scenario) -> None:
    draft = scenario.standard(publish=False)
    before = scope(scenario)

    scenario.bus.handle(PublishStandard(standard_id=draft), scenario.committee)

    assert (before, scope(scenario)) == (set(), {draft})


def test_a_retired_standard_is_out_of_scope(scenario: Scenario) -> None:
    kept, retired = scenario.standard(), scenario.standard()

    scenario.retire(retired)

    assert scope(scenario) == {kept}


def test_a_standard_revised_into_another_category_is_in_the_scope_of_its_new_category(
        scenario: Scenario) -> None:
    moved = scenario.standard(category="email")

    scenario.bus.handle(ReviseStandard(standard_id=moved, changes={"category": "identity"},
                                       reason="regrouped"), scenario.committee)

    assert (scope(scenario, "email"), scope(scenario, "identity")) == (set(), {moved})


def test_a_revision_that_keeps_the_category_keeps_the_standard_in_it(scenario: Scenario) -> None:
    kept = scenario.standard(category="email")

    scenario.bus.handle(ReviseStandard(standard_id=kept, changes={"question": "Is DMARC enforced?"},
                                       reason="clearer"), scenario.committee)

    assert scope(scenario, "email") == {kept}


def test_another_tenants_standards_are_never_in_scope(scenario: Scenario) -> None:
    mine = scenario.standard()
    other = Scenario(scenario.bus, f"{scenario.tenant}-other")
    other.standard()

    assert scope(scenario) == {mine}


def test_the_log_is_read_page_by_page_to_its_end(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_scope, "PAGE", 2)
    standards = {scenario.standard() for _ in range(3)}  # six lifecycle events: three full pages

    assert scope(scenario) == standards


def test_a_page_short_of_full_ends_the_reading(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_scope, "PAGE", 4)
    standards = {scenario.standard() for _ in range(3)}  # six events: a full page, then two

    assert scope(scenario) == standards

