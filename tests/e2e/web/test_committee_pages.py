"""The committee works in the browser: opens a change set, proposes, sees the replay per client,
publishes; drafts carry their objectivity warnings."""

from typing import Any
from uuid import UUID

import pytest

from commands.change_sets import OpenChangeSet
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

ALL_ALIGNED = {"FW-1": "yes", "FW-2": "yes", "BK-1": "yes", "BK-2": "no", "EM-1": "yes", "EM-2": "yes"}


def open_change_set(arrange: Arrange, title: str = "2027 library review") -> UUID:
    change_set = arrange.services.bus.handle(OpenChangeSet(title=title, reason="yearly review"),
                                             arrange.actor("committee", "carla.committee")).aggregate_id
    arrange.settle()
    return change_set


def test_a_change_set_opened_in_the_browser_is_listed_on_the_library_page(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.library()
    sign_in("committee")
    page.goto("/committee")

    page.get_by_label("Title").fill("Firewall tightening")
    page.get_by_label("Why the committee opens it").fill("edge devices were breached twice")
    page.get_by_role("button", name="Open change set").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Firewall tightening")
    page.goto("/committee")
    expect(page.locator("#change-sets")).to_contain_text("Firewall tightening")


def test_a_proposed_rewording_lists_each_clients_answer_for_a_recheck(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    arrange.library()
    client_id, _ = arrange.client("Brightwater Logistics")
    arrange.review(client_id, ALL_ALIGNED, days_ago=20)
    change_set = open_change_set(arrange)
    sign_in("committee")
    page.goto(f"/committee/change-sets/{change_set}")

    page.locator("#propose-revision summary").click()
    page.locator("#rev-standard").select_option(label="FW-1 · Is FW-1 in place on every site?")
    page.get_by_label("New question").fill("Is FW-1 enforced by policy on every site?")
    page.get_by_label("Reason for the revision").fill("manual checks missed drift")
    page.get_by_role("button", name="Propose revision").click()

    expect(page.locator("#proposals")).to_contain_text("meaning changes")
    row = page.locator(f"#impact-{client_id}")
    expect(row).to_contain_text("FW-1 aligned")
    expect(row).to_contain_text("question changed: re-check")
    shoot("committee-change-set-rewording")


def test_a_proposed_weight_change_shows_the_replayed_score_per_client(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.library()
    client_id, _ = arrange.client("Harbor Clinic")
    arrange.review(client_id, {"FW-1": "no", "FW-2": "yes"}, days_ago=20, ratings={"FW-1": "marginal"})
    change_set = open_change_set(arrange)
    sign_in("committee")
    page.goto(f"/committee/change-sets/{change_set}")

    page.locator("#propose-weight summary").click()
    page.locator("#weight-standard").select_option(label="FW-1 · Is FW-1 in place on every site?")
    page.get_by_label("New priority").select_option("low")
    page.locator("#weight-reason").fill("a compensating control exists")
    page.get_by_role("button", name="Propose weight change").click()

    # as answered: 100*(5*0.5 + 3)/8 = 68.75 -> 68.8; FW-1 at low: 100*(0.5 + 3)/4 = 87.5
    row = page.locator(f"#impact-{client_id}")
    expect(row.locator("td").nth(0)).to_have_text("68.8")
    expect(row.locator("td").nth(1)).to_have_text("87.5")


def test_publishing_a_change_set_puts_its_proposals_in_force(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    standards = arrange.library()
    change_set = open_change_set(arrange)
    sign_in("committee")
    page.goto(f"/committee/change-sets/{change_set}")
    page.locator("#propose-retirement summary").click()
    page.locator("#retire-standard").select_option(label="EM-2 · Is EM-2 in place on every site?")
    page.locator("#retire-successor").select_option(label="EM-1 · Is EM-1 in place on every site?")
    page.locator("#retire-reason").fill("EM-1 covers it")
    page.get_by_role("button", name="Propose retirement").click()

    page.get_by_role("button", name="Publish change set").click()

    expect(page.locator("#change-set-status")).to_have_text("published")
    shoot("committee-change-set-published")
    page.goto(f"/committee/standards/{standards['EM-2']}")
    expect(page.locator("main")).to_contain_text("Retired: EM-1 covers it")


def test_a_discarded_change_set_leaves_the_list_of_open_ones(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    change_set = open_change_set(arrange, "Abandoned idea")
    sign_in("committee")
    page.goto(f"/committee/change-sets/{change_set}")

    page.get_by_label("Reason to discard").fill("superseded by the 2027 review")
    page.get_by_role("button", name="Discard change set").click()

    expect(page.locator("#change-set-status")).to_have_text("discarded")
    page.goto("/committee")
    expect(page.locator("#change-sets")).not_to_contain_text("Abandoned idea")


def test_a_proposed_standard_with_a_bundled_question_carries_an_objectivity_warning(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    change_set = open_change_set(arrange)
    sign_in("committee")
    page.goto(f"/committee/change-sets/{change_set}")

    page.locator("#propose-new summary").click()
    page.locator("#new-key").fill("AV-9")
    page.locator("#new-category").fill("antivirus")
    page.locator("#new-question").fill("Is antivirus installed and running on every desktop?")
    page.locator("#new-how").fill("Look at the console.")
    page.locator("#new-why").fill("Malware.")
    page.get_by_role("button", name="Propose new standard").click()

    expect(page.locator("#proposals")).to_contain_text("bundles several checks")


def test_a_viewer_sees_the_change_set_but_no_forms(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    change_set = open_change_set(arrange)
    sign_in("viewer")

    page.goto(f"/committee/change-sets/{change_set}")

    expect(page.get_by_role("heading", level=1)).to_contain_text("2027 library review")
    expect(page.get_by_role("button", name="Publish change set")).to_have_count(0)
    expect(page.locator("#propose")).to_have_count(0)
