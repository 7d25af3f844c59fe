"""Clients over HTTP: profile changes and decision makers, read back through the projections."""

from decimal import Decimal

import httpx
import pytest

from tests.e2e.steps import (
    CLIENT_A,
    Caller,
    answer,
    complete,
    ok,
    onboard,
    problem_fields,
    publish_standard,
    start_review,
)

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
    assert problem_fields(response) == ["decision_maker_id"]


def test_an_invalid_email_is_refused_naming_the_field(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = vcio_api.post(
        f"/clients/{client_id}/decision-makers", json={"name": "Dana", "email": "not-an-email"}
    )

    assert response.status_code == 422
    assert problem_fields(response) == ["body.email"]


def test_a_client_read_shows_its_profile_cadence_and_latest_score(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    standard = publish_standard(committee_api, "bk-offsite", "backup", "high")
    client_id = onboard(vcio_api, mrr="6500.00", user_count=60, industry="logistics")["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, standard, "yes")
    written = complete(tam_api, client_id, review_id)

    read = ok(vcio_api.get(f"/clients/{client_id}", params={"wait_for": written["position"]}))

    profile = {
        k: read[k]
        for k in (
            "name",
            "mrr",
            "user_count",
            "complexity",
            "industry",
            "fiscal_year_start_month",
            "vcio",
            "tam",
        )
    }
    assert profile == {**CLIENT_A, "mrr": "6500.00", "user_count": 60, "industry": "logistics"}
    # Row B of the brief: more than twice A's MRR, still quarterly and one touch a month.
    assert (read["cadence"]["meetings_per_year"], read["cadence"]["touches_per_month"]) == (4, 1)
    assert read["cadence"]["source"].startswith("rule:")
    assert (Decimal(read["latest_score"]["score"]), read["latest_score"]["review_number"]) == (
        Decimal("100.0"),
        1,
    )


def test_a_client_without_a_completed_review_has_no_latest_score(vcio_api: httpx.Client) -> None:
    written = onboard(vcio_api)

    read = ok(vcio_api.get(f"/clients/{written['client_id']}", params={"wait_for": written["position"]}))

    assert read["latest_score"] is None


def test_the_client_list_shows_only_the_tenants_own_clients_by_name(
    vcio_api: httpx.Client, caller: Caller, tenant: str
) -> None:
    onboard(vcio_api, name="Zephyr Law")
    mine = onboard(vcio_api, name="Acme Dental")
    stranger = caller("vcio", of_tenant=f"{tenant}-stranger", name="vera.vcio")
    theirs = onboard(stranger, name="Stranger Things Ltd")

    listed = ok(vcio_api.get("/clients", params={"wait_for": max(mine["position"], theirs["position"])}))

    assert [c["name"] for c in listed["data"]] == ["Acme Dental", "Zephyr Law"]
    assert listed["count"] == 2


def test_the_client_list_narrows_to_one_vcio(vcio_api: httpx.Client) -> None:
    onboard(vcio_api, name="Acme Dental")
    last = onboard(vcio_api, name="Bolt Freight", vcio="victor.vcio")

    listed = ok(vcio_api.get("/clients", params={"vcio": "victor.vcio", "wait_for": last["position"]}))

    assert [c["name"] for c in listed["data"]] == ["Bolt Freight"]
