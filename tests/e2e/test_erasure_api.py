"""A client's decision makers over HTTP, and erasing one on request."""

import httpx
import pytest

from tests.e2e.steps import Caller, LogHead, add_decision_maker, ok, onboard, problem_fields

pytestmark = pytest.mark.e2e


def people(api: httpx.Client, client_id: str, wait_for: int, **params: object) -> list[dict[str, object]]:
    listed = ok(api.get(f"/clients/{client_id}/decision-makers", params={"wait_for": wait_for, **params}))
    assert listed["count"] == len(listed["data"])
    return list(listed["data"])


def test_decision_makers_are_listed_with_their_contact_details(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    written = ok(vcio_api.post(f"/clients/{client_id}/decision-makers", json={
        "name": "Dana Owner", "title": "CEO", "email": "dana@example.com", "phone": "+1 555 0100"}), 201)

    listed = people(vcio_api, client_id, written["position"])

    assert [(p["name"], p["title"], p["email"], p["phone"]) for p in listed] == [
        ("Dana Owner", "CEO", "dana@example.com", "+1 555 0100")]


def test_an_erased_person_reads_as_erased_and_the_erasure_is_audited(
        vcio_api: httpx.Client, admin_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id, name="Dana Owner")

    written = ok(admin_api.post(f"/clients/{client_id}/decision-makers/{person}/erase",
                                json={"reason": "request 2026-114"}))

    listed = people(vcio_api, client_id, written["position"])
    assert [(p["name"], p["email"], p["title"]) for p in listed] == [("[erased]", "[erased]", "CEO")]
    assert listed[0]["erased_at"] is not None
    timeline = ok(vcio_api.get(f"/clients/{client_id}/timeline", params={"wait_for": written["position"]}))
    erased = [e for e in timeline["data"] if e["kind"] == "decision_maker_erased"]
    assert [(e["actor"], e["reason"]) for e in erased] == [("ada.admin", "request 2026-114")]


def test_a_former_decision_maker_is_listed_only_when_asked_for(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    written = ok(vcio_api.delete(f"/clients/{client_id}/decision-makers/{person}"))

    current = people(vcio_api, client_id, written["position"])
    everyone = people(vcio_api, client_id, written["position"], include_removed=True)

    assert current == [] and [p["decision_maker_id"] for p in everyone] == [person]


def test_only_an_admin_may_erase_a_person(vcio_api: httpx.Client, log_head: LogHead) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    before = log_head()

    response = vcio_api.post(f"/clients/{client_id}/decision-makers/{person}/erase", json={"reason": "x"})

    assert response.status_code == 403 and log_head() == before


def test_an_erasure_reason_with_a_nul_byte_is_refused_naming_the_field(
        vcio_api: httpx.Client, admin_api: httpx.Client, log_head: LogHead) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    before = log_head()
    path = f"/clients/{client_id}/decision-makers/{person}/erase"

    response = admin_api.post(path, json={"reason": "\u0000"})

    assert response.status_code == 422 and problem_fields(response) == ["body.reason"]
    assert log_head() == before


def test_erasing_twice_is_a_conflict(vcio_api: httpx.Client, admin_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    path = f"/clients/{client_id}/decision-makers/{person}/erase"
    ok(admin_api.post(path, json={"reason": "request"}))

    again = admin_api.post(path, json={"reason": "request"})

    assert again.status_code == 409 and problem_fields(again) == ["decision_maker_id"]


def test_another_tenants_client_and_people_are_not_found(
        vcio_api: httpx.Client, caller: Caller) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    stranger = caller("admin", of_tenant="someone-else", name="eve.admin")

    erase = stranger.post(f"/clients/{client_id}/decision-makers/{person}/erase", json={"reason": "x"})
    listing = stranger.get(f"/clients/{client_id}/decision-makers")

    assert (erase.status_code, listing.status_code) == (404, 404)
