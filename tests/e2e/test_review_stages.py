"""The two stages over HTTP with a TAM's and a vCIO's tokens: the TAM answers and submits, the
vCIO rates after the submission, sends an item back, and finalises with an explicit choice for
answers left unrated."""

from dataclasses import dataclass

import httpx
import pytest

from tests.e2e.steps import answer, ok, onboard, problem, problem_fields, publish_standard, start_review

pytestmark = pytest.mark.e2e


@dataclass
class Review:
    client_id: str
    review_id: str
    firewall: str
    backup: str

    def path(self, tail: str) -> str:
        return f"/clients/{self.client_id}/reviews/{self.review_id}/{tail}"


def answered_review(committee: httpx.Client, vcio: httpx.Client, tam: httpx.Client) -> Review:
    """Two standards, both answered no (misaligned) by the TAM, nothing submitted yet."""
    firewall = publish_standard(committee, "fw-mfa", "firewalls", "high")
    backup = publish_standard(committee, "bk-offsite", "backup", "medium")
    client_id = str(onboard(vcio)["client_id"])
    review_id = start_review(tam, client_id)
    answer(tam, client_id, review_id, firewall, "no")
    answer(tam, client_id, review_id, backup, "no")
    return Review(client_id, review_id, firewall, backup)


def submitted_review(committee: httpx.Client, vcio: httpx.Client, tam: httpx.Client) -> Review:
    review = answered_review(committee, vcio, tam)
    ok(tam.post(review.path("submit"), json={}))
    return review


def test_submitting_with_a_standard_unanswered_needs_the_tams_confirmation(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = answered_review(committee_api, vcio_api, tam_api)
    unanswered = publish_standard(committee_api, "fw-logging", "firewalls", "low")

    refused = tam_api.post(review.path("submit"), json={})
    confirmed = tam_api.post(review.path("submit"), json={"confirm_unanswered": True})

    assert refused.status_code == 422
    assert problem_fields(refused) == ["confirm_unanswered"]
    assert unanswered in problem(refused, refused.status_code)["detail"]
    assert confirmed.status_code == 200, confirmed.text


def test_a_review_whose_categories_hold_no_standard_cannot_be_started(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    client_id = onboard(vcio_api)["client_id"]

    refused = tam_api.post(f"/clients/{client_id}/reviews", json={"categories": ["nope"]})

    assert refused.status_code == 422
    assert problem_fields(refused) == ["categories"]


def test_the_vcio_rates_after_the_tam_submitted(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)

    rated = vcio_api.put(review.path(f"ratings/{review.firewall}"), json={"rating": "marginal"})

    assert rated.status_code == 200, rated.text


def test_the_tam_cannot_answer_a_submitted_review_unless_an_item_is_sent_back(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)

    refused = tam_api.put(review.path(f"answers/{review.firewall}"), json={"answer": "yes"})

    assert refused.status_code == 409
    assert problem_fields(refused) == ["review_id"]


def test_sending_an_item_back_reopens_just_that_item_for_the_tam(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)
    ok(vcio_api.post(review.path(f"items/{review.firewall}/send-back"),
                     json={"comment": "MFA is on for admins; check again"}))

    reopened = tam_api.put(review.path(f"answers/{review.firewall}"), json={"answer": "yes"})
    still_closed = tam_api.put(review.path(f"answers/{review.backup}"), json={"answer": "yes"})

    assert reopened.status_code == 200, reopened.text
    assert still_closed.status_code == 409


def test_finalising_while_an_item_is_back_with_the_tam_is_refused(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)
    ok(vcio_api.post(review.path(f"items/{review.firewall}/send-back"), json={"comment": "recheck"}))

    refused = vcio_api.post(review.path("finalise"), json={"unrated_as": "highly_vulnerable"})

    assert refused.status_code == 409
    assert review.firewall in problem(refused, refused.status_code)["detail"]


def test_finalising_with_unrated_answers_is_refused_listing_them(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)
    ok(vcio_api.put(review.path(f"ratings/{review.firewall}"), json={"rating": "marginal"}))

    refused = vcio_api.post(review.path("finalise"), json={})

    assert refused.status_code == 422
    assert problem_fields(refused) == ["unrated_as"]
    assert review.backup in problem(refused, refused.status_code)["detail"]
    assert review.firewall not in problem(refused, refused.status_code)["detail"]


def test_finalising_with_unrated_as_highly_vulnerable_records_that_rating(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = submitted_review(committee_api, vcio_api, tam_api)
    ok(vcio_api.put(review.path(f"ratings/{review.firewall}"), json={"rating": "marginal"}))

    written = ok(vcio_api.post(review.path("finalise"), json={"unrated_as": "highly_vulnerable"}))

    alignment = ok(vcio_api.get(f"/clients/{review.client_id}/alignment",
                                params={"wait_for": written["position"]}))
    ratings = {i["standard_id"]: i["rating"] for i in alignment["items"]}
    assert ratings == {review.firewall: "marginal", review.backup: "highly_vulnerable"}
    assert alignment["review_status"] == "finalised"


def test_the_roles_of_the_stages_are_enforced_before_the_body_is_read(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    review = answered_review(committee_api, vcio_api, tam_api)

    assert vcio_api.post(review.path("submit"), json={}).status_code == 403
    assert tam_api.post(review.path("finalise"), content=b"not json").status_code == 403
    assert tam_api.post(review.path(f"items/{review.firewall}/send-back"),
                        content=b"not json").status_code == 403
