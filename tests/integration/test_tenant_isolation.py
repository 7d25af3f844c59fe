"""No tenant ever sees another's data: the read models answer another tenant with nothing."""

from typing import Any

import pytest

from events.vocabulary import Answer
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def other(tenant: str) -> str:
    return f"{tenant}-other"


def test_another_tenant_sees_no_alignment_for_a_client(services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    services.projectors["client_alignment"].catch_up()

    assert services.alignment.alignment(other(scenario.tenant), client) is None


def test_another_tenant_sees_no_score_history_for_a_client(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    services.projectors["score_history"].catch_up()

    assert services.history.history(other(scenario.tenant), client) == []
    assert services.history.latest_by_client(other(scenario.tenant)) == {}


def test_another_tenants_standards_never_enter_a_clients_alignment(
        services: Any, scenario: Scenario) -> None:
    mine = scenario.standard()
    Scenario(services.bus, other(scenario.tenant)).standard()
    client = scenario.client()
    scenario.start(client)
    services.projectors["client_alignment"].catch_up()

    view = services.alignment.alignment(scenario.tenant, client)

    assert view is not None
    assert [i.standard_id for i in view.items] == [mine]
