"""Every page loads with the demo-like data, at desktop and tablet width, and the QBR prints
without the navigation. Each page's screenshot is kept as a test artifact."""

from typing import Any

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

HISTORY = {"FW-1": "no", "FW-2": "yes", "BK-1": "yes", "BK-2": "yes", "EM-1": "no", "EM-2": "yes"}


@pytest.fixture
def client_id(arrange: Arrange) -> Any:
    arrange.library()
    client, _ = arrange.client()
    arrange.review(client, HISTORY, days_ago=120, ratings={"FW-1": "marginal", "EM-1": "marginal",
                                                           "BK-2": "highly_vulnerable"})
    arrange.review(client, {**HISTORY, "BK-2": "no"}, days_ago=10, ratings={"FW-1": "marginal",
                                                                           "EM-1": "marginal"})
    return client


@pytest.mark.parametrize(("name", "path", "heading"), [
    ("home", "/", "Clients"),
    ("overview", "/clients/{client}", "Acme Dental"),
    ("review-none-open", "/clients/{client}/review", "Review · Acme Dental"),
    ("rating", "/clients/{client}/rating", "Rating & recommendations · Acme Dental"),
    ("audit", "/clients/{client}/audit", "Audit timeline · Acme Dental"),
    ("qbr", "/clients/{client}/qbr", "Acme Dental"),
    ("vcio-dashboard", "/dashboard", "vCIO dashboard"),
    ("committee", "/committee", "Standards library"),
])
def test_each_page_loads(page: Any, client_id: Any, sign_in: SignIn, shoot: Shoot,
                         name: str, path: str, heading: str) -> None:
    sign_in("admin")

    response = page.goto(path.format(client=client_id))

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    shoot(f"page-{name}")


def test_a_standard_shows_its_revision_history(page: Any, client_id: Any, sign_in: SignIn,
                                               shoot: Shoot) -> None:
    sign_in("committee")
    page.goto("/committee")

    page.get_by_role("link", name="FW-1").click()

    expect(page.get_by_role("heading", name="Revision history")).to_be_visible()
    expect(page.get_by_text("First draft. Reason: drafted")).to_be_visible()
    shoot("page-standard")


def test_the_overview_fits_a_tablet(page: Any, client_id: Any, sign_in: SignIn, shoot: Shoot) -> None:
    sign_in("vcio")
    page.set_viewport_size({"width": 820, "height": 1180})

    page.goto(f"/clients/{client_id}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    shoot("tablet-overview")


def test_the_qbr_prints_without_navigation(page: Any, client_id: Any, sign_in: SignIn, shoot: Shoot) -> None:
    sign_in("vcio")
    page.goto(f"/clients/{client_id}/qbr")

    page.emulate_media(media="print")

    expect(page.locator(".top-bar")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.get_by_role("heading", name="Most important findings")).to_be_visible()
    shoot("qbr-print")
