"""The suggestion inbox in the browser: a TAM suggests with the client finding behind it; the
committee takes it up as a proposal of a change set, or declines it with a reason."""

from typing import Any
from uuid import UUID

import pytest

from commands.change_sets import OpenChangeSet
from commands.suggestions import SuggestStandard
from events.vocabulary import SuggestionKind
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

IDEA = "Firmware older than 12 months passed because the check allows 24."


def suggested(arrange: Arrange, client_id: UUID | None = None) -> UUID:
    suggestion = arrange.services.bus.handle(SuggestStandard(
        kind=SuggestionKind.CHANGE, text=IDEA, standard_id=arrange.standards["FW-2"], client_id=client_id),
        arrange.actor("tam", "tom.tam")).aggregate_id
    arrange.settle()
    return suggestion


def test_a_tam_suggests_a_change_with_the_client_where_it_was_found(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    arrange.library()
    arrange.client("Harbor Clinic")
    sign_in("tam", "tom.tam")
    page.goto("/committee/suggestions")

    page.get_by_label("I suggest").select_option("change")
    page.locator("#sg-standard").select_option(label="FW-2 · Is FW-2 in place on every site?")
    page.get_by_label("Client where it was found").select_option(label="Harbor Clinic")
    page.get_by_label("What the committee should consider").fill(IDEA)
    page.get_by_role("button", name="Send suggestion").click()

    inbox = page.locator("#open")
    expect(inbox).to_contain_text(IDEA)
    expect(inbox).to_contain_text("found at Harbor Clinic")
    expect(inbox).to_contain_text("by tom.tam (TAM)")
    expect(page.get_by_role("button", name="Decline")).to_have_count(0)
    shoot("suggestion-inbox-tam")


def test_the_committee_takes_a_suggestion_up_as_a_proposal_of_an_open_change_set(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    arrange.library()
    suggestion = suggested(arrange)
    arrange.services.bus.handle(OpenChangeSet(title="Firmware review", reason="suggested by a TAM"),
                                arrange.actor("committee", "carla.committee"))
    arrange.settle()
    sign_in("committee")
    page.goto("/committee/suggestions")

    page.locator(f"#suggestion-{suggestion}").get_by_role("button", name="Take up").click()
    page.locator("#rev-question").fill("Is every firmware image under 12 months old?")
    page.get_by_role("button", name="Propose revision").click()

    expect(page.locator("#proposals")).to_contain_text("FW-2")
    expect(page.locator("#proposals")).to_contain_text(IDEA)
    shoot("change-set-with-accepted-suggestion")
    page.goto("/committee/suggestions")
    expect(page.locator("#open")).to_contain_text("No open suggestions.")
    expect(page.locator(f"#decided-{suggestion}")).to_contain_text("accepted")


def test_the_committee_declines_a_suggestion_with_a_reason_the_sender_can_read(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.library()
    suggestion = suggested(arrange)
    sign_in("committee")
    page.goto("/committee/suggestions")

    page.get_by_label("Reason to decline").fill("FW-1 already covers firmware age")
    page.get_by_role("button", name="Decline").click()

    expect(page.locator(f"#decided-{suggestion}")).to_contain_text("declined")
    expect(page.locator(f"#decided-{suggestion}")).to_contain_text("FW-1 already covers firmware age")
