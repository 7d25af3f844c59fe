"""The dashboard counts the overdue review areas and lists them a page at a time, with a link
to the next page."""

from typing import Any

import pytest

import web.dashboard
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

ALL_YES = {"FW-1": "yes", "FW-2": "yes", "BK-1": "yes", "BK-2": "yes", "EM-1": "yes", "EM-2": "yes"}


def test_the_dashboard_lists_overdue_areas_a_page_at_a_time(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    arrange.library()
    client, _ = arrange.client()
    arrange.review(client, ALL_YES, days_ago=400)  # every (annual) area is overdue
    monkeypatch.setattr(web.dashboard, "AREAS_PER_PAGE", 2)
    sign_in("admin")
    page.goto("/dashboard")
    areas = page.locator("#overdue-areas tbody tr")
    expect(page.locator("#overdue-areas summary")).to_contain_text("3 categories")
    expect(areas).to_have_count(2)
    first_page = areas.all_inner_texts()

    page.get_by_role("link", name="More overdue areas").click()

    expect(areas).to_have_count(1)
    assert areas.all_inner_texts()[0] not in first_page
    expect(page.get_by_role("link", name="More overdue areas")).to_have_count(0)
    shoot("dashboard-overdue-areas-page-2")
