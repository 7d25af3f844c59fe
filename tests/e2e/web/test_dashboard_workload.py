"""The dashboard places each vCIO's touches and meetings held a month against the MSP's
workload bands per vCIO."""

from typing import Any

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def test_a_vcio_without_touches_is_below_the_touch_band(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.client()
    sign_in("admin")

    page.goto("/dashboard")

    row = page.get_by_role("row", name="Touches a month")
    expect(row).to_contain_text("35–90 per vCIO")
    expect(row.locator("td.band-below")).to_have_text("0 below target")


def test_a_vcio_without_meetings_is_below_the_meeting_band(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.client()
    sign_in("admin")

    page.goto("/dashboard")

    row = page.get_by_role("row", name="Meetings held a month")
    expect(row).to_contain_text("11–23 per vCIO")
    expect(row.locator("td.band-below")).to_have_text("0 below target")
