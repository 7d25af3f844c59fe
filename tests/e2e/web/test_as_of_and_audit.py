"""The audit timeline narrows by person, and its "as of" picker opens the client overview as it
stood on a past day."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

ALL_ALIGNED = {"FW-1": "yes", "FW-2": "yes", "BK-1": "yes", "BK-2": "no", "EM-1": "yes", "EM-2": "yes"}


def two_reviews(arrange: Arrange) -> Any:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {**ALL_ALIGNED, "FW-1": "no"}, days_ago=200,
                   ratings={"FW-1": "highly_vulnerable"})
    arrange.review(client_id, ALL_ALIGNED, days_ago=20)
    return client_id


def test_the_as_of_picker_shows_the_overview_as_it_stood_then(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = two_reviews(arrange)
    sign_in("viewer")
    page.goto(f"/clients/{client_id}")
    expect(page.locator("#score-now")).to_contain_text("100")
    page.goto(f"/clients/{client_id}/audit")
    then = (datetime.now(UTC) - timedelta(days=100)).date().isoformat()

    page.get_by_label("Date", exact=True).fill(then)
    page.get_by_role("button", name="Show overview as of this date").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"as of {then}")
    expect(page.locator("#score-now")).to_contain_text("72.2")
    expect(page.get_by_text("Review #1, completed")).to_be_visible()
    shoot("overview-as-of")


def test_the_audit_timeline_narrows_to_one_person(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = two_reviews(arrange)
    sign_in("viewer")
    page.goto(f"/clients/{client_id}/audit")
    shoot("audit-timeline")

    page.get_by_label("Who").select_option("tom.tam")
    page.get_by_role("button", name="Apply filters").click()

    who = page.locator("table.audit tbody tr td:nth-child(2)")
    expect(who.first).to_have_text("tom.tam")
    assert set(who.all_inner_texts()) == {"tom.tam"}
