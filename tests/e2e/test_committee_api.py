"""The standards committee over HTTP: a proposed change set changes nothing until published."""

import httpx
import pytest

from tests.e2e.steps import ok, publish_standard

pytestmark = pytest.mark.e2e


def test_a_proposed_revision_changes_the_library_only_when_its_change_set_is_published(
    committee_api: httpx.Client, viewer_api: httpx.Client
) -> None:
    standard_id = publish_standard(committee_api, "fw-ips", "firewalls", "medium")
    opened = ok(committee_api.post("/committee/change-sets",
                                   json={"title": "2027 library", "reason": "annual review"}), 201)
    change_set = opened["change_set_id"]
    proposed = ok(committee_api.post(
        f"/committee/change-sets/{change_set}/revisions",
        json={"standard_id": standard_id, "changes": {"priority": "high"},
              "reason": "attacks on edge devices rose"}), 201)

    before = ok(viewer_api.get(f"/standards/{standard_id}",
                               params={"wait_for": proposed["position"]}))
    published = ok(committee_api.post(f"/committee/change-sets/{change_set}/publish"))
    after = ok(viewer_api.get(f"/standards/{standard_id}",
                              params={"wait_for": published["position"]}))

    assert (before["revision"], before["priority"]) == (1, "medium")
    assert (after["revision"], after["priority"]) == (2, "high")
    assert after["revisions"][-1]["reason"].startswith("attacks on edge devices rose")


def test_a_viewer_cannot_open_a_change_set(viewer_api: httpx.Client) -> None:
    response = viewer_api.post("/committee/change-sets", json={"title": "x", "reason": "y"})

    assert response.status_code == 403
