"""Clients over HTTP: profile changes and decision makers, read back through the projections."""

import httpx
import pytest

from tests.e2e.steps import ok, onboard

pytestmark = pytest.mark.e2e


def test_a_profile_change_shows_in_the_client_read_after_waiting_for_it(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]

    written = ok(vcio_api.patch(f"/clients/{client_id}", json={"name": "Acme Dental Group"}))
    read = ok(vcio_api.get(f"/clients/{client_id}", params={"wait_for": written["position"]}))

    assert read["name"] == "Acme Dental Group"
    assert written["version"] == 2


def test_a_decision_maker_is_added_with_a_new_id_and_kept_out_of_the_timeline(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]

    added = ok(
        vcio_api.post(
            f"/clients/{client_id}/decision-makers",
            json={"name": "Dana Owner", "title": "CEO", "email": "dana@example.com"},
        ),
        201,
    )
    timeline = ok(vcio_api.get(f"/clients/{client_id}/timeline", params={"wait_for": added["position"]}))

    assert added["decision_maker_id"] != client_id
    assert timeline["data"][0]["decision_maker_id"] == added["decision_maker_id"]
    assert "Dana" not in str(timeline["data"])


def test_removing_a_decision_maker_twice_is_refused_naming_the_person(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = ok(vcio_api.post(f"/clients/{client_id}/decision-makers", json={"name": "Dana Owner"}), 201)[
        "decision_maker_id"
    ]
    ok(vcio_api.delete(f"/clients/{client_id}/decision-makers/{person}", params={"reason": "left"}))

    response = vcio_api.delete(f"/clients/{client_id}/decision-makers/{person}")

    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "decision_maker_id"


def test_an_invalid_email_is_refused_naming_the_field(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = vcio_api.post(
        f"/clients/{client_id}/decision-makers", json={"name": "Dana", "email": "not-an-email"}
    )

    assert response.status_code == 422
    assert [p["field"] for p in response.json()["detail"]] == ["body.email"]
