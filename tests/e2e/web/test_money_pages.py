"""Pages that show money show it in the MSP's currency (ISO 4217 code first)."""

from decimal import Decimal
from typing import Any

import pytest

from commands.msp_settings import SetFinancialDefaults
from commands.recommendations import ProposeRecommendation
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


@pytest.fixture
def euro_client(arrange: Arrange) -> Any:
    """A client of an MSP that keeps its books in euros, with one unscheduled recommendation."""
    arrange.services.bus.handle(SetFinancialDefaults(
        reason="we moved to Dublin", currency="EUR", fiscal_year_start_month=1),
        arrange.actor("admin", "ada.admin"))
    client, _ = arrange.client()
    arrange.services.bus.handle(ProposeRecommendation(
        client_id=client, title="Replace the firewall", owner="vera.vcio",
        one_time_budget=Decimal("12500.50"), recurring_monthly_budget=Decimal("40")),
        arrange.actor("vcio", "vera.vcio"))
    arrange.settle()
    return client


def test_the_clients_budget_on_its_overview_is_in_euros(
        page: Any, euro_client: Any, sign_in: SignIn, shoot: Shoot) -> None:
    sign_in("vcio", "vera.vcio")

    page.goto(f"/clients/{euro_client}")

    expect(page.locator("body")).to_contain_text("one-time EUR 12,500.50, recurring EUR 40 a month")
    shoot("money-overview-eur")


def test_each_quarters_budget_on_the_overview_is_in_euros(
        page: Any, euro_client: Any, sign_in: SignIn) -> None:
    sign_in("vcio", "vera.vcio")

    page.goto(f"/clients/{euro_client}")

    expect(page.locator(".budget-label").first).to_have_text("Budget EUR 0")


def test_the_dashboards_mrr_is_in_euros(page: Any, euro_client: Any, sign_in: SignIn) -> None:
    sign_in("admin")

    page.goto("/dashboard")

    expect(page.get_by_role("row", name="MRR managed")).to_contain_text("EUR 3,000")
