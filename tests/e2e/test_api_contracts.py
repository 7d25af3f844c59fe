"""The JSON contract is the read models' views: every field a view holds reaches the OpenAPI
schema (and the JSON) unless its public model names it as left out, so a field added to a view
cannot be forgotten by the API again (as the answer suggestions once were)."""

import dataclasses
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

import api.app  # noqa: F401  declares every public model the routes answer with
from api.schemas.common import ViewModel
from commands.results import Actor
from commands.reviews import SuggestAnswer
from events.vocabulary import Answer
from projections.client_alignment import AlignmentItem
from runtime.services import Services
from tests.e2e.steps import ok, onboard, publish_standard

pytestmark = pytest.mark.e2e

SUGGESTION_FIELDS = {"suggested_answer", "suggestion_source", "suggested_at"}
VIEW_MODELS = sorted(ViewModel.public_models.values(), key=lambda model: model.__name__)


@pytest.fixture(scope="module")
def openapi(api_url: str) -> dict[str, Any]:
    # The first request builds the whole schema: seconds on a loaded machine.
    spec: dict[str, Any] = httpx.get(f"{api_url}/openapi.json", timeout=60).json()
    return spec


def component(spec: dict[str, Any], ref_or_name: str) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    name = ref_or_name.rsplit("/", 1)[-1]
    found: dict[str, Any] = schemas.get(name) or schemas[f"{name}-Output"]
    return found


def test_every_alignment_item_field_including_the_suggestions_is_in_the_alignment_schema(
    openapi: dict[str, Any],
) -> None:
    response = openapi["paths"]["/api/v1/clients/{client_id}/alignment"]["get"]["responses"]["200"]
    alignment = component(openapi, response["content"]["application/json"]["schema"]["$ref"])

    item = component(openapi, alignment["properties"]["items"]["items"]["$ref"])

    view_fields = {f.name for f in dataclasses.fields(AlignmentItem)}
    assert set(item["properties"]) >= view_fields | SUGGESTION_FIELDS


@pytest.mark.parametrize("model", VIEW_MODELS, ids=[m.__name__ for m in VIEW_MODELS])
def test_every_field_of_a_view_answered_by_a_route_is_in_its_openapi_component(
    openapi: dict[str, Any], model: type[ViewModel]
) -> None:
    assert model.view is not None
    view_fields = {f.name for f in dataclasses.fields(model.view)}

    published = set(component(openapi, model.__name__)["properties"])

    assert model.excluded - {"tenant"} <= view_fields, "a left-out field the view no longer has"
    assert view_fields - model.excluded <= published


def test_an_answer_suggested_by_an_outside_tool_reaches_the_alignment_json(
    committee_api: httpx.Client, vcio_api: httpx.Client, services: Services, tenant: str
) -> None:
    standard_id = publish_standard(committee_api, "fw-firmware", "firewalls", "high")
    client_id = onboard(vcio_api)["client_id"]
    observed = datetime(2025, 1, 5, 8, 30, tzinfo=UTC)
    rmm = Actor(tenant=tenant, name="rmm:ninjaone", role="integration")
    suggested = services.bus.handle(
        SuggestAnswer(client_id=client_id, standard_id=standard_id, answer=Answer.YES,
                      source="rmm:ninjaone", evidence="Firmware is 2 months old", observed_at=observed),
        rmm,
    )

    alignment = ok(vcio_api.get(f"/clients/{client_id}/alignment", params={"wait_for": suggested.position}))

    [item] = [i for i in alignment["items"] if i["standard_id"] == standard_id]
    assert (item["suggested_answer"], item["suggestion_source"]) == ("yes", "rmm:ninjaone")
    assert datetime.fromisoformat(item["suggested_at"]) == observed
    assert item["answer"] is None
