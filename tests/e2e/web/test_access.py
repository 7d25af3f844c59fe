"""Sign-in follows the token; another tenant's ids answer a plain "not found" page."""

import re
from typing import Any

import pytest

from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e


def test_another_tenants_client_answers_not_found(
        page: Any, arrange: Arrange, sign_in: SignIn, tenant: str, shoot: Shoot) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    sign_in("admin", of_tenant=f"{tenant}-other")

    for page_path in ("", "/review", "/rating", "/audit", "/qbr"):
        response = page.goto(f"/clients/{client_id}{page_path}")
        assert response.status == 404, page_path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("There is no such client in your organisation")).to_be_visible()
    shoot("not-found-other-tenant")


def test_the_session_shows_the_tenant_and_role_of_the_token(page: Any, sign_in: SignIn, tenant: str) -> None:
    sign_in("tam", "tom.tam")

    expect(page.locator(".who")).to_contain_text("tom.tam")
    expect(page.locator(".who-role")).to_have_text("TAM")
    expect(page.locator(".who-tenant")).to_have_text(tenant)


def test_a_page_without_a_session_asks_to_sign_in(page: Any) -> None:
    page.goto("/dashboard")

    expect(page).to_have_url(re.compile(r"/sign-in\?next=/dashboard$"))
    expect(page.get_by_label("API token")).to_be_focused()


def test_an_unknown_token_is_refused_in_plain_language(page: Any, shoot: Shoot) -> None:
    page.goto("/sign-in")
    page.get_by_label("API token").fill("vcio_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("That token is not known or has been revoked")
    shoot("sign-in-refused")


def test_signing_out_ends_the_session(page: Any, sign_in: SignIn) -> None:
    sign_in("viewer")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
