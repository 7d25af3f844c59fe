"""Refused writes record nothing: stale versions, invalid fields, broken rules, and retries."""

import httpx
import pytest

from tests.e2e.steps import (
    CLIENT_A,
    LogHead,
    answer,
    ok,
    onboard,
    problem_fields,
    publish_standard,
    start_review,
)

pytestmark = pytest.mark.e2e


def test_a_stale_expected_version_answers_409_and_records_nothing(
    vcio_api: httpx.Client, log_head: LogHead
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    ok(vcio_api.patch(f"/clients/{client_id}", json={"mrr": "3500", "expected_version": 1}))
    before = log_head()

    response = vcio_api.patch(f"/clients/{client_id}", json={"user_count": 30, "expected_version": 1})

    assert response.status_code == 409
    assert problem_fields(response) == ["expected_version"]
    assert log_head() == before


def test_an_out_of_range_complexity_answers_422_naming_the_field_and_records_nothing(
    vcio_api: httpx.Client, log_head: LogHead
) -> None:
    before = log_head()

    response = vcio_api.post("/clients", json={**CLIENT_A, "complexity": 11})

    assert response.status_code == 422
    assert problem_fields(response) == ["body.complexity"]
    assert log_head() == before


def test_rating_an_aligned_answer_answers_422_naming_the_rating(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client, log_head: LogHead
) -> None:
    antivirus = publish_standard(committee_api, "av-edr", "antivirus", "high")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, antivirus, "yes")
    before = log_head()

    response = vcio_api.put(
        f"/clients/{client_id}/reviews/{review_id}/ratings/{antivirus}", json={"rating": "marginal"}
    )

    assert response.status_code == 422
    assert problem_fields(response) == ["rating"]
    assert log_head() == before


def test_the_same_idempotency_key_returns_the_same_client_and_records_nothing_new(
    vcio_api: httpx.Client, log_head: LogHead
) -> None:
    headers = {"Idempotency-Key": "onboard-acme-1"}
    first = ok(vcio_api.post("/clients", json=CLIENT_A, headers=headers), 201)
    before = log_head()

    again = ok(vcio_api.post("/clients", json=CLIENT_A, headers=headers), 201)

    assert (again["client_id"], again["position"]) == (first["client_id"], first["position"])
    assert again["replayed"] is True
    assert log_head() == before


def test_an_idempotency_key_reused_for_a_different_command_answers_422(
    vcio_api: httpx.Client,
) -> None:
    headers = {"Idempotency-Key": "onboard-acme-2"}
    ok(vcio_api.post("/clients", json=CLIENT_A, headers=headers), 201)

    response = vcio_api.post("/clients", json={**CLIENT_A, "name": "Other"}, headers=headers)

    assert response.status_code == 422
    assert problem_fields(response) == ["Idempotency-Key"]


def test_answering_a_draft_standard_is_refused_naming_the_standard(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    draft = ok(
        committee_api.post(
            "/standards",
            json={
                "key": "sw-vlans",
                "category": "switches",
                "question": "Are VLANs in use?",
                "how_to_check": "Check the switch config.",
                "why_it_matters": "Segmentation.",
                "priority": "medium",
                "review_frequency": "annual",
            },
        ),
        201,
    )["standard_id"]
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")  # a review must cover one
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)

    response = tam_api.put(
        f"/clients/{client_id}/reviews/{review_id}/answers/{draft}", json={"answer": "yes"}
    )

    assert response.status_code == 422
    assert problem_fields(response) == ["standard_id"]
