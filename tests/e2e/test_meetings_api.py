"""Meetings, action items and touches over HTTP: the vCIO schedules, holds, moves and cancels
meetings, keeps action items, logs touches, and the calendar and cadence read them back."""

import httpx
import pytest

from tests.e2e.steps import add_decision_maker, log_touch, ok, onboard, problem_fields, schedule_meeting

pytestmark = pytest.mark.e2e


def test_a_held_meeting_and_its_overdue_action_item_show_on_the_client_calendar(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    meeting_id = schedule_meeting(vcio_api, client_id, "2025-03-10T15:00:00Z")["meeting_id"]
    path = f"/clients/{client_id}/meetings/{meeting_id}"
    ok(vcio_api.put(f"{path}/agenda", json={"agenda": ["Alignment score", "Roadmap"]}))
    ok(
        vcio_api.post(
            f"{path}/hold", json={"held_at": "2025-03-10T16:00:00Z", "summary": "Agreed the roadmap."}
        )
    )
    added = ok(
        vcio_api.post(
            f"/clients/{client_id}/action-items",
            json={
                "meeting_id": meeting_id,
                "title": "Send firewall quote",
                "owner": "vera.vcio",
                "follow_up_on": "2025-03-20",
            },
        ),
        201,
    )

    calendar = ok(
        vcio_api.get(
            f"/clients/{client_id}/meetings",
            params={
                "start": "2025-03-01",
                "end": "2025-04-01",
                "today": "2025-03-25",
                "wait_for": added["position"],
            },
        )
    )

    [meeting] = calendar["meetings"]
    assert (meeting["status"], meeting["summary"], meeting["agenda"]) == (
        "held",
        "Agreed the roadmap.",
        ["Alignment score", "Roadmap"],
    )
    assert (calendar["held"], calendar["planned"]) == (1, 0)
    [overdue] = calendar["overdue_action_items"]
    assert (overdue["action_item_id"], overdue["meeting_id"]) == (added["action_item_id"], meeting_id)


def test_a_completed_action_item_leaves_the_open_list(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    added = ok(
        vcio_api.post(
            f"/clients/{client_id}/action-items",
            json={"title": "Send firewall quote", "owner": "vera.vcio", "follow_up_on": "2025-03-20"},
        ),
        201,
    )
    done = ok(
        vcio_api.post(
            f"/clients/{client_id}/action-items/{added['action_item_id']}/complete",
            json={"resolution": "Quote sent."},
        )
    )

    still_open = ok(vcio_api.get(f"/clients/{client_id}/action-items", params={"wait_for": done["position"]}))
    everything = ok(vcio_api.get(f"/clients/{client_id}/action-items", params={"include_completed": True}))

    assert still_open["count"] == 0
    assert [a["resolution"] for a in everything["data"]] == ["Quote sent."]


def test_only_touches_with_a_decision_maker_count_toward_cadence(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    log_touch(vcio_api, client_id, "2025-02-03T10:00:00Z", decision_maker_id=person)
    last = log_touch(vcio_api, client_id, "2025-02-04T10:00:00Z", kind="email", contact_role="office manager")

    cadence = ok(
        vcio_api.get(
            f"/clients/{client_id}/touch-cadence",
            params={"first": "2025-02-01", "months": 1, "wait_for": last["position"]},
        )
    )

    assert (cadence["touches"], cadence["other_touches"], cadence["target"], cadence["shortfall"]) == (
        1,
        1,
        1,
        0,
    )
    assert cadence["behind"] is False


def test_a_moved_and_a_cancelled_meeting_are_counted_apart_on_the_calendar(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    moved = schedule_meeting(vcio_api, client_id, "2025-03-10T15:00:00Z")["meeting_id"]
    dropped = schedule_meeting(vcio_api, client_id, "2025-03-12T15:00:00Z")["meeting_id"]
    ok(
        vcio_api.post(
            f"/clients/{client_id}/meetings/{moved}/reschedule",
            json={"scheduled_for": "2025-03-17T15:00:00Z", "reason": "client travelling"},
        )
    )
    last = ok(vcio_api.post(f"/clients/{client_id}/meetings/{dropped}/cancel", json={"reason": "merged"}))

    calendar = ok(
        vcio_api.get(
            f"/clients/{client_id}/meetings",
            params={"start": "2025-03-01", "end": "2025-04-01", "wait_for": last["position"]},
        )
    )

    by_id = {m["meeting_id"]: m for m in calendar["meetings"]}
    assert (by_id[moved]["times_rescheduled"], by_id[moved]["reschedule_reason"]) == (1, "client travelling")
    assert (by_id[dropped]["status"], by_id[dropped]["cancel_reason"]) == ("cancelled", "merged")
    assert (calendar["rescheduled"], calendar["cancelled"]) == (1, 1)


def test_a_calendar_period_that_ends_before_it_starts_is_refused_naming_end(vcio_api: httpx.Client) -> None:
    written = onboard(vcio_api)
    period = {"start": "2025-03-01", "end": "2025-02-01", "wait_for": written["position"]}

    response = vcio_api.get(f"/clients/{written['client_id']}/meetings", params=period)
    msp = vcio_api.get("/meeting-calendar", params={"start": "2025-03-01", "end": "2025-03-01"})

    assert (response.status_code, msp.status_code) == (422, 422)
    assert problem_fields(response) == ["end"]


def test_a_new_follow_up_date_decides_whether_an_action_item_is_overdue(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    added = ok(
        vcio_api.post(
            f"/clients/{client_id}/action-items",
            json={"title": "Send firewall quote", "owner": "vera.vcio", "follow_up_on": "2025-03-20"},
        ),
        201,
    )
    moved = ok(
        vcio_api.patch(
            f"/clients/{client_id}/action-items/{added['action_item_id']}",
            json={"follow_up_on": "2025-04-15", "owner": "tom.tam"},
        )
    )

    [item] = ok(
        vcio_api.get(
            f"/clients/{client_id}/action-items",
            params={"today": "2025-03-25", "wait_for": moved["position"]},
        )
    )["data"]

    assert (item["follow_up_on"], item["owner"], item["overdue"]) == ("2025-04-15", "tom.tam", False)


def test_client_feedback_is_recorded_with_a_new_id(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = vcio_api.post(
        f"/clients/{client_id}/feedback",
        json={
            "changes_requested": "Move the Wi-Fi refresh to next year.",
            "new_initiatives": ["Second office"],
        },
    )

    assert response.status_code == 201
    assert response.json()["feedback_id"] != client_id


def test_an_action_item_update_that_changes_nothing_is_refused(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    added = ok(
        vcio_api.post(
            f"/clients/{client_id}/action-items",
            json={"title": "Send firewall quote", "owner": "vera.vcio", "follow_up_on": "2025-03-20"},
        ),
        201,
    )

    response = vcio_api.patch(f"/clients/{client_id}/action-items/{added['action_item_id']}", json={})

    assert response.status_code == 422
    assert problem_fields(response) == ["body"]
