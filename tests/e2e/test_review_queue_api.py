"""Review work lists over HTTP: whose turn each review is, and which clients need a review before
their next strategy meeting."""

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import httpx
import pytest

from tests.e2e.steps import answer, ok, onboard, publish_standard, schedule_meeting, start_review

pytestmark = pytest.mark.e2e


def in_days(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)


def under_way(caller: httpx.Client, position: int, **params: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = ok(caller.get("/reviews/under-way",
                                               params={"wait_for": position, **params}))["data"]
    return data


class OneAnswer(NamedTuple):
    standard: str
    client_id: str
    review_id: str
    path: str  # the review's URL
    written: dict[str, Any]  # the answer's write


def misaligned_review(committee_api: httpx.Client, vcio_api: httpx.Client,
                      tam_api: httpx.Client) -> OneAnswer:
    """A new client's review holding one misaligned answer (a high standard answered no)."""
    standard = publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = str(onboard(vcio_api)["client_id"])
    review_id = start_review(tam_api, client_id)
    written = answer(tam_api, client_id, review_id, standard, "no")
    return OneAnswer(standard, client_id, review_id, f"/clients/{client_id}/reviews/{review_id}", written)


def test_a_review_being_answered_waits_for_the_tam(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = misaligned_review(committee_api, vcio_api, tam_api)

    found = under_way(vcio_api, review.written["position"])

    assert [(r["review_id"], r["stage"], r["waiting_for"]) for r in found] == [
        (review.review_id, "answering", "to_answer")]


def test_a_submitted_review_with_unrated_answers_waits_for_the_vcio_to_rate(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = misaligned_review(committee_api, vcio_api, tam_api)
    written = ok(tam_api.post(f"{review.path}/submit", json={}))

    found = under_way(vcio_api, written["position"], waiting_for="to_rate")

    assert [(r["review_id"], r["stage"], r["unrated"]) for r in found] == [(review.review_id, "submitted", 1)]


def test_a_submitted_review_with_every_answer_rated_waits_to_be_finalised(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = misaligned_review(committee_api, vcio_api, tam_api)
    ok(tam_api.post(f"{review.path}/submit", json={}))
    written = ok(vcio_api.put(f"{review.path}/ratings/{review.standard}", json={"rating": "marginal"}))

    found = under_way(vcio_api, written["position"])

    assert [(r["review_id"], r["waiting_for"]) for r in found] == [(review.review_id, "to_finalise")]


def test_an_item_sent_back_puts_the_review_back_with_the_tam(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = misaligned_review(committee_api, vcio_api, tam_api)
    ok(tam_api.post(f"{review.path}/submit", json={}))
    written = ok(vcio_api.post(f"{review.path}/items/{review.standard}/send-back",
                               json={"comment": "check again"}))

    found = under_way(tam_api, written["position"], waiting_for="to_answer")

    assert [(r["review_id"], r["stage"], r["sent_back"]) for r in found] == [
        (review.review_id, "submitted", 1)]


def test_a_client_never_reviewed_with_a_meeting_ahead_is_due_before_it(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = str(onboard(vcio_api)["client_id"])
    meeting_at = in_days(30)
    written = schedule_meeting(vcio_api, client_id, meeting_at.isoformat())

    found = ok(tam_api.get("/reviews/due-before-meetings", params={"wait_for": written["position"]}))

    assert [(r["client_id"], r["review_by"], r["due_categories"], r["late"]) for r in found["data"]] == [
        (client_id, (meeting_at.date() - timedelta(days=14)).isoformat(), ["firewalls"], False)]


def test_the_lead_time_moves_the_day_to_review_by(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = str(onboard(vcio_api)["client_id"])
    meeting_at = in_days(10)
    written = schedule_meeting(vcio_api, client_id, meeting_at.isoformat())

    found = ok(tam_api.get("/reviews/due-before-meetings",
                           params={"wait_for": written["position"], "lead_days": 3}))

    assert [(r["review_by"], r["late"]) for r in found["data"]] == [
        ((meeting_at.date() - timedelta(days=3)).isoformat(), False)]


def test_a_client_whose_standards_are_fresh_at_the_meeting_is_not_listed(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    standard = publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = str(onboard(vcio_api)["client_id"])
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, standard, "yes")
    ok(tam_api.post(f"/clients/{client_id}/reviews/{review_id}/submit", json={}))
    ok(vcio_api.post(f"/clients/{client_id}/reviews/{review_id}/finalise", json={}))
    written = schedule_meeting(vcio_api, client_id, in_days(30).isoformat())

    found = ok(tam_api.get("/reviews/due-before-meetings", params={"wait_for": written["position"]}))

    assert found == {"data": [], "count": 0, "next": None, "total": 0}


def test_a_lead_time_out_of_range_is_refused_naming_the_field(tam_api: httpx.Client) -> None:
    refused = tam_api.get("/reviews/due-before-meetings", params={"lead_days": -1})

    assert refused.status_code == 422
    assert "lead_days" in refused.text


def test_a_meeting_sooner_than_the_lead_time_marks_its_review_late(
        committee_api: httpx.Client, vcio_api: httpx.Client,
        tam_api: httpx.Client) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = str(onboard(vcio_api)["client_id"])
    written = schedule_meeting(vcio_api, client_id, in_days(5).isoformat())

    found = ok(tam_api.get("/reviews/due-before-meetings", params={"wait_for": written["position"]}))

    assert date.fromisoformat(found["data"][0]["review_by"]) < date.today()
    assert found["data"][0]["late"] is True
