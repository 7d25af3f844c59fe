"""The standards library over HTTP: revisions keep their reasons, retirement, and filters."""

import httpx
import pytest

from tests.e2e.steps import LogHead, ok, problem_fields, publish_standard

pytestmark = pytest.mark.e2e


def test_a_revised_standard_shows_each_revision_with_its_reason(
    committee_api: httpx.Client, viewer_api: httpx.Client
) -> None:
    standard_id = publish_standard(committee_api, "dr-runbook", "disaster recovery", "medium")

    written = ok(
        committee_api.post(
            f"/standards/{standard_id}/revise",
            json={"changes": {"priority": "high"}, "reason": "ransomware incidents rose"},
        )
    )
    read = ok(viewer_api.get(f"/standards/{standard_id}", params={"wait_for": written["position"]}))

    assert read["revision"] == 2 and read["priority"] == "high"
    assert [(r["revision"], r["reason"]) for r in read["revisions"]] == [
        (1, "drafted"),
        (2, "ransomware incidents rose"),
    ]


def test_retired_standards_can_be_filtered_out_of_the_library(committee_api: httpx.Client) -> None:
    kept = publish_standard(committee_api, "rt-config-backup", "routers", "low")
    old = publish_standard(committee_api, "rt-telnet", "routers", "low")

    written = ok(
        committee_api.post(
            f"/standards/{old}/retire",
            json={"reason": "covered by the config backup standard", "replaced_by": kept},
        )
    )
    listed = ok(
        committee_api.get("/standards", params={"status": "published", "wait_for": written["position"]})
    )

    assert [s["standard_id"] for s in listed["data"]] == [kept]


def test_publishing_a_standard_twice_answers_409(committee_api: httpx.Client) -> None:
    standard_id = publish_standard(committee_api, "cl-sso", "cloud services", "high")

    response = committee_api.post(f"/standards/{standard_id}/publish")

    assert response.status_code == 409
    assert problem_fields(response) == ["status"]


def test_an_unknown_standard_is_not_found(viewer_api: httpx.Client) -> None:
    response = viewer_api.get("/standards/7d1c8a52-4a43-4f39-9a33-1a3f6b7c0e11")

    assert response.status_code == 404


def test_the_library_lists_keys_in_natural_order(
    committee_api: httpx.Client, viewer_api: httpx.Client, log_head: LogHead
) -> None:
    for key in ("ac-14", "ac-2", "ac-1", "ac-10"):
        publish_standard(committee_api, key, "access control", "low")

    listed = ok(viewer_api.get("/standards", params={"category": "access control", "wait_for": log_head()}))

    assert [s["key"] for s in listed["data"]] == ["ac-1", "ac-2", "ac-10", "ac-14"]


def test_a_standard_can_be_read_by_its_key(
    committee_api: httpx.Client, viewer_api: httpx.Client, log_head: LogHead
) -> None:
    standard_id = publish_standard(committee_api, "FW-001", "firewalls", "high")

    read = ok(viewer_api.get("/standards/by-key/FW-001", params={"wait_for": log_head()}))

    assert (read["standard_id"], read["key"], read["status"]) == (standard_id, "FW-001", "published")


def test_an_unknown_key_answers_404_naming_the_key(viewer_api: httpx.Client) -> None:
    response = viewer_api.get("/standards/by-key/NO-SUCH-KEY")

    assert response.status_code == 404
    assert problem_fields(response) == ["key"]


def test_a_revision_setting_a_field_to_null_answers_422_naming_the_field(
    committee_api: httpx.Client, log_head: LogHead
) -> None:
    standard_id = publish_standard(committee_api, "bk-null", "backup", "high")
    before = log_head()

    response = committee_api.post(f"/standards/{standard_id}/revise",
                                  json={"changes": {"priority": None}, "reason": "tidy"})

    assert problem_fields(response) == ["body.changes.priority"]
    assert response.status_code == 422
    assert log_head() == before
