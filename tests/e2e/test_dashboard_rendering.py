"""The vCIO dashboard renders its answer once in the route (not validated again by FastAPI):
what it sends is still the documented ``DashboardPublic``, as JSON."""

import httpx
import pytest

from api.schemas.strategy_public import DashboardPublic
from tests.e2e.steps import ok, onboard

pytestmark = pytest.mark.e2e


def test_the_dashboard_answers_its_documented_model_as_json(vcio_api: httpx.Client) -> None:
    onboard(vcio_api)

    response = vcio_api.get("/vcio-dashboard", params={"start": "2025-01-01", "end": "2025-04-01"})

    assert response.headers["content-type"] == "application/json"
    assert DashboardPublic.model_validate_json(response.content).model_dump(mode="json") == ok(response)
