"""The client list's page is read in one transaction (``projections.client_list.client_page``):
the same clients, total and latest scores as the directory and the score history read apart,
a total even on a page past the last client, and the cadence rules the MSP recorded."""

from datetime import UTC, datetime
from typing import Any

import pytest

from aggregates.cadence_rules import default_rules
from commands.msp_settings import SetCadenceRules
from commands.results import Actor
from events.vocabulary import Answer
from projections.client_list import client_page
from schedulers.store import SchedulerStore
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def page_of(services: Any, scenario: Scenario, after: tuple[str, Any] | None = None,
            limit: int = 2, stored: Any = None) -> Any:
    return client_page(services.reader, scenario.tenant, None, False, after, limit,
                       datetime.now(UTC), stored)


def test_a_page_equals_the_directory_and_the_score_history_read_apart(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    first = scenario.client("Client A")
    scenario.client("Client B")
    scenario.client("Client C")
    scenario.completed_review(first, {standard: Answer.YES})
    services.catch_up()
    apart = services.client_directory.clients(scenario.tenant, None, False, None, 2)

    page = page_of(services, scenario)

    assert (page.clients, page.total, page.latest) == (
        apart, services.client_directory.count_clients(scenario.tenant),
        services.history.latest_by_client(scenario.tenant, [c.client_id for c in apart]))
    assert list(page.latest) == [first]


def test_a_page_past_the_last_client_still_tells_the_total(
        services: Any, scenario: Scenario) -> None:
    scenario.client("Client A")
    last = scenario.client("Client B")
    services.catch_up()

    page = page_of(services, scenario, after=("Client B", last))

    assert (page.clients, page.total, page.latest) == ([], 2, {})


def test_the_cadence_rules_the_msp_recorded_come_with_the_page(
        services: Any, scenario: Scenario) -> None:
    rules = default_rules()
    own = rules.model_copy(update={"cadence_rules": [
        rule.model_copy(update={"touches_per_month": 3}) for rule in rules.cadence_rules]})
    scenario.client()
    services.catch_up()
    before = page_of(services, scenario).cadence_rules
    scenario.bus.handle(SetCadenceRules(rules=own, reason="three touches for everyone"),
                        Actor(scenario.tenant, "ada.admin", "admin"), scenario.clock)
    services.catch_up()

    after = page_of(services, scenario).cadence_rules

    assert (before, after) == (None, own)



class NoPool:
    """A pool that may not be used: what reads with it reads outside the page's transaction."""

    def connection(self) -> Any:
        raise AssertionError("read on a pooled connection of its own")


def test_the_rules_stored_before_settings_were_events_come_with_the_page_in_its_transaction(
        services: Any, scenario: Scenario) -> None:
    rules = default_rules()
    stored = rules.model_copy(update={"cadence_rules": [
        rule.model_copy(update={"meetings_per_year": 2}) for rule in rules.cadence_rules]})
    store = SchedulerStore(services.pool)
    store.save_rules(scenario.tenant, stored, by="old-cli")
    scenario.client()
    services.catch_up()
    store.pool = NoPool()  # type: ignore[assignment]

    page = page_of(services, scenario, stored=store.stored_rules)

    assert page.cadence_rules == stored
