"""A TAM answers a review from the keyboard and sees the previous answers and the score move."""

from datetime import UTC, datetime
from typing import Any

import pytest

from commands.results import Actor
from commands.reviews import CompleteReview, SuggestAnswer
from runtime.services import Services
from tests.e2e.web.arrange import Arrange
from tests.e2e.web.conftest import Shoot, SignIn

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.e2e

PREVIOUS = {"FW-1": "no", "FW-2": "yes", "BK-1": "yes", "BK-2": "no", "EM-1": "yes",
            "EM-2": "not_applicable"}


def open_review(arrange: Arrange) -> Any:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, PREVIOUS, days_ago=30, ratings={"FW-1": "highly_vulnerable"})
    arrange.review(client_id, {})
    return client_id


def test_answering_with_the_keyboard_changes_the_score(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    score = page.locator("#review-score")
    expect(score).to_have_text("—")

    page.keyboard.press("j")
    expect(page.locator(f"#item-{arrange.standards['BK-1']}")).to_be_focused()
    page.keyboard.press("y")
    expect(score).to_have_text("100")
    page.keyboard.press("y")  # BK-2, whose aligned answer is no: misaligned and not rated yet
    expect(score).to_have_text("83.3")
    expect(page.locator("#review-done")).to_have_text("2")
    expect(page.locator("#cat-count-backup")).to_have_text("2 of 2 answered")
    shoot("review-answered-with-keyboard")

    page.reload()
    expect(page.locator(f"#item-{arrange.standards['BK-1']} button[value=yes]")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator("#review-score")).to_have_text("83.3")


def test_j_k_and_the_arrow_keys_move_between_questions(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    item = lambda key: page.locator(f"#item-{arrange.standards[key]}")  # noqa: E731

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(item("BK-2")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(item("EM-1")).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("ArrowUp")
    expect(item("BK-1")).to_be_focused()


def test_the_previous_answer_and_its_date_are_shown(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    previous = page.locator(f"#prev-{arrange.standards['FW-1']}")
    expect(previous).to_contain_text("Previous answer: No on 20")
    expect(page.locator(f"#prev-{arrange.standards['EM-2']}")).to_contain_text("Previous answer: N/A")
    shoot("review-previous-answers")


def test_an_answer_suggested_by_an_outside_tool_is_shown_with_its_source_and_not_as_the_answer(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    rmm = Actor(arrange.tenant, "rmm:ninjaone", "integration")
    arrange.services.bus.handle(SuggestAnswer(
        client_id=client_id, standard_id=arrange.standards["FW-1"], answer="yes",
        source="rmm:<ninja>"), rmm, datetime.now(UTC))
    arrange.settle()
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    item = page.locator(f"#item-{arrange.standards['FW-1']}")
    expect(item.locator(".suggestion")).to_contain_text("Suggested by rmm:<ninja>: Yes")
    expect(item.locator("button[value=yes]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#review-done")).to_have_text("0")


def test_submitting_with_questions_unanswered_needs_the_explicit_confirmation(
        page: Any, arrange: Arrange, sign_in: SignIn, shoot: Shoot) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    page.keyboard.press("j")
    page.keyboard.press("y")
    expect(page.locator("#unanswered-warning")).to_contain_text("5 questions not answered")

    page.get_by_role("button", name="Submit review").click()
    expect(page.locator("#submit-review")).to_be_visible()  # the browser asks for the box first
    page.get_by_label("Submit with 5 unanswered").check()
    page.get_by_role("button", name="Submit review").click()

    expect(page.get_by_role("status")).to_contain_text("The review was submitted to the vCIO")
    expect(page.locator("#review-stage")).to_contain_text("Submitted to the vCIO")
    expect(page.locator("#submit-review")).to_have_count(0)
    expect(page.locator(f"#item-{arrange.standards['FW-1']} button[value=yes]")).to_have_count(0)
    shoot("review-submitted")


def test_the_submit_box_follows_the_answers_given(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    for standard_id in arrange.standards.values():
        na = page.locator(f"#item-{standard_id} button[value=not_applicable]")
        na.click()
        expect(na).to_have_attribute("aria-pressed", "true")

    expect(page.locator("#submit-review")).to_contain_text("Every question is answered")
    expect(page.locator("#unanswered-warning")).to_have_count(0)


def test_the_previous_note_and_rating_are_shown_beside_the_item(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    arrange.library()
    client_id, _ = arrange.client()
    arrange.review(client_id, {"FW-1": "no"}, days_ago=30, ratings={"FW-1": "marginal"},
                   notes={"FW-1": "Firmware from 2019"})
    arrange.review(client_id, {})
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    item = page.locator(f"#item-{arrange.standards['FW-1']}")
    expect(item.locator(".previous-note")).to_have_text("Previous note: Firmware from 2019")
    expect(item.locator(".previous-rating")).to_have_text("marginal")


def test_an_answer_to_a_review_completed_meanwhile_is_refused_in_plain_language(
        page: Any, arrange: Arrange, sign_in: SignIn, tenant: str, shoot: Shoot) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    review_id = page.locator("form[action$='/submit']").get_attribute("action").split("/")[-2]
    arrange.services.bus.handle(CompleteReview(client_id=client_id, review_id=review_id), Actor(tenant,
        "vera.vcio", "vcio"), datetime.now(UTC))

    page.keyboard.press("j")
    page.keyboard.press("y")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved: the review is already completed")
    expect(alert).not_to_contain_text("Traceback")
    expect(page.locator("#review-score")).to_have_text("—")
    shoot("review-refused-answer")


def test_a_note_saves_itself_when_the_tam_leaves_the_field(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    item = page.locator(f"#item-{arrange.standards['FW-1']}")
    item.locator("button[value=no]").click()
    expect(item.locator("button[value=no]")).to_have_attribute("aria-pressed", "true")

    page.locator(f"#item-{arrange.standards['FW-1']} textarea").fill("Firmware from 2019")
    page.keyboard.press("Tab")

    expect(page.locator(f"#note-status-{arrange.standards['FW-1']}")).to_have_text("Note saved")
    page.reload()
    expect(page.locator(f"#item-{arrange.standards['FW-1']} textarea")).to_have_value("Firmware from 2019")


def test_ctrl_enter_saves_the_note(page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    item = page.locator(f"#item-{arrange.standards['FW-2']}")
    item.locator("button[value=yes]").click()
    expect(item.locator("button[value=yes]")).to_have_attribute("aria-pressed", "true")

    page.locator(f"#item-{arrange.standards['FW-2']} textarea").fill("Checked on site")
    page.keyboard.press("Control+Enter")

    expect(page.locator(f"#note-status-{arrange.standards['FW-2']}")).to_have_text("Note saved")
    page.reload()
    expect(page.locator(f"#item-{arrange.standards['FW-2']} textarea")).to_have_value("Checked on site")


def test_a_note_on_an_unanswered_item_says_it_is_not_saved(
        page: Any, arrange: Arrange, sign_in: SignIn) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")

    page.locator(f"#item-{arrange.standards['EM-1']} textarea").fill("Ask the office manager")
    page.keyboard.press("Tab")

    expect(page.locator(f"#note-status-{arrange.standards['EM-1']}")).to_contain_text("Not saved")


def test_an_answer_sent_after_the_session_ended_is_kept_for_after_signing_in(
        page: Any, arrange: Arrange, sign_in: SignIn, services: Services, tenant: str) -> None:
    client_id = open_review(arrange)
    sign_in("tam", "tom.tam")
    page.goto(f"/clients/{client_id}/review")
    item_id = f"item-{arrange.standards['FW-1']}"
    page.locator(f"#{item_id} textarea").fill("Firmware from 2019")
    page.context.clear_cookies()

    page.locator(f"#{item_id} button[value=no]").click()
    page.wait_for_url(f"**/sign-in?next=/clients/{client_id}/review")
    page.get_by_label("API token").fill(services.tokens.create(tenant, "tam", "tom.tam"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/clients/{client_id}/review")

    item = page.locator(f"#{item_id}")
    expect(item).to_be_focused()
    expect(item.locator(".pending-answer")).to_contain_text("Not saved")
    expect(item.locator("textarea")).to_have_value("Firmware from 2019")
    expect(item.locator("button[value=no]")).to_have_attribute("aria-pressed", "false")
    item.locator("button[value=no]").click()
    expect(page.locator(f"#{item_id} button[value=no]")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator(f"#{item_id} textarea")).to_have_value("Firmware from 2019")
    expect(page.locator(f"#{item_id} .pending-answer")).to_have_count(0)
