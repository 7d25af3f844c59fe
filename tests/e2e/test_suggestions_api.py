"""Suggestions to the committee over HTTP: sent by a TAM, listed, accepted or declined."""

import httpx
import pytest

from tests.e2e.steps import LogHead, ok, onboard, publish_standard

pytestmark = pytest.mark.e2e


def suggest_change(tam: httpx.Client, standard_id: str, client_id: str | None = None) -> dict[str, object]:
    return ok(tam.post("/suggestions", json={
        "kind": "change", "text": "Ask for firmware under 12 months, not 24.",
        "standard_id": standard_id, "client_id": client_id}), 201)


def open_revision(committee: httpx.Client, standard_id: str) -> tuple[str, str]:
    opened = ok(committee.post("/committee/change-sets", json={"title": "firmware", "reason": "seen"}), 201)
    change_set = opened["change_set_id"]
    item = ok(committee.post(f"/committee/change-sets/{change_set}/revisions", json={
        "standard_id": standard_id, "changes": {"question": "Is every firmware under 12 months old?"},
        "reason": "18-month-old firmware passed"}), 201)["item_id"]
    return change_set, item


def test_a_tams_suggestion_lists_in_the_inbox_with_the_finding_that_prompted_it(
    committee_api: httpx.Client, tam_api: httpx.Client, vcio_api: httpx.Client
) -> None:
    standard_id = publish_standard(committee_api, "FW-003", "firewalls", "high")
    client_id = onboard(vcio_api, name="Harbor Clinic")["client_id"]

    sent = suggest_change(tam_api, standard_id, client_id)
    inbox = ok(committee_api.get("/suggestions", params={"wait_for": sent["position"]}))

    assert [(s["suggestion_id"], s["standard_key"], s["client_name"], s["suggested_by_role"], s["status"])
            for s in inbox["data"]] == [(sent["suggestion_id"], "FW-003", "Harbor Clinic", "tam", "open")]


def test_a_viewer_may_not_send_a_suggestion(viewer_api: httpx.Client, log_head: LogHead) -> None:
    before = log_head()

    response = viewer_api.post("/suggestions", json={"kind": "new_standard", "text": "Cover MDM."})

    assert response.status_code == 403
    assert log_head() == before


def test_a_suggestion_of_an_unknown_kind_answers_422_naming_the_field(tam_api: httpx.Client) -> None:
    response = tam_api.post("/suggestions", json={"kind": "wish", "text": "Cover MDM."})

    assert response.status_code == 422
    assert "kind" in response.text


def test_an_accepted_suggestion_leaves_the_inbox_and_names_its_change_set(
    committee_api: httpx.Client, tam_api: httpx.Client
) -> None:
    standard_id = publish_standard(committee_api, "FW-004", "firewalls", "high")
    suggestion = str(suggest_change(tam_api, standard_id)["suggestion_id"])
    change_set, item = open_revision(committee_api, standard_id)

    accepted = ok(committee_api.post(f"/suggestions/{suggestion}/accept",
                                     json={"change_set_id": change_set, "item_id": item}))
    inbox = ok(committee_api.get("/suggestions", params={"wait_for": accepted["position"]}))
    read = ok(committee_api.get(f"/suggestions/{suggestion}"))

    assert inbox["count"] == 0
    assert (read["status"], read["change_set_id"], read["item_id"]) == ("accepted", change_set, item)


def test_a_declined_suggestion_keeps_the_committees_reason(
    committee_api: httpx.Client, tam_api: httpx.Client
) -> None:
    standard_id = publish_standard(committee_api, "FW-005", "firewalls", "high")
    suggestion = str(suggest_change(tam_api, standard_id)["suggestion_id"])

    declined = ok(committee_api.post(f"/suggestions/{suggestion}/decline",
                                     json={"reason": "FW-002 already covers it"}))
    read = ok(tam_api.get(f"/suggestions/{suggestion}", params={"wait_for": declined["position"]}))

    assert (read["status"], read["decline_reason"], read["decided_by"]) == (
        "declined", "FW-002 already covers it", "carla.committee")


def test_a_tam_may_not_decline_a_suggestion(committee_api: httpx.Client, tam_api: httpx.Client) -> None:
    standard_id = publish_standard(committee_api, "FW-006", "firewalls", "high")
    suggestion = suggest_change(tam_api, standard_id)["suggestion_id"]

    response = tam_api.post(f"/suggestions/{suggestion}/decline", json={"reason": "no"})

    assert response.status_code == 403


def test_open_change_sets_are_listed_with_their_number_of_proposals(committee_api: httpx.Client) -> None:
    standard_id = publish_standard(committee_api, "FW-007", "firewalls", "high")
    change_set, _ = open_revision(committee_api, standard_id)
    discarded = ok(committee_api.post("/committee/change-sets", json={"title": "old", "reason": "x"}), 201)
    written = ok(committee_api.post(f"/committee/change-sets/{discarded['change_set_id']}/discard",
                                    json={"reason": "superseded"}))

    listed = ok(committee_api.get("/committee/change-sets", params={"wait_for": written["position"]}))

    assert [(c["change_set_id"], c["title"], c["proposals"]) for c in listed["data"]] == [
        (change_set, "firmware", 1)]
