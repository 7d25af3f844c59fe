"""The annual plan over HTTP: cadence by the MSP's rules or overridden, meeting preferences, an
admin planning a year (once, however often asked), and the plan as iCalendar feeds."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar

from tests.e2e.steps import Caller, LogHead, ok, onboard, problem_fields

pytestmark = pytest.mark.e2e

# A whole calendar year ahead of the server's clock, so every planned meeting is in it.
NEXT_YEAR = datetime.now(UTC).year + 1


def plan(admin: httpx.Client, after: int, year: int = NEXT_YEAR, **params: Any) -> dict[str, Any]:
    return ok(admin.post("/schedule/plan", params={"year": year, "wait_for": after, **params}))


def moments(meetings: list[dict[str, Any]]) -> list[datetime]:
    return [datetime.fromisoformat(m["scheduled_for"]) for m in meetings]


def events_of(feed: httpx.Response) -> dict[str, datetime]:
    calendar = Calendar.from_ical(feed.content)
    return {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}


def test_a_cadence_override_wins_over_the_rules_until_it_is_cleared(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    path = f"/clients/{client_id}"

    overridden = ok(
        vcio_api.put(
            f"{path}/cadence-override",
            json={"meetings_per_year": 6, "touches_per_month": 2, "reason": "merger this year"},
        )
    )
    during = ok(vcio_api.get(f"{path}/cadence", params={"wait_for": overridden["position"]}))
    cleared = ok(vcio_api.delete(f"{path}/cadence-override", params={"reason": "merger done"}))
    after = ok(vcio_api.get(f"{path}/cadence", params={"wait_for": cleared["position"]}))

    assert during["cadence"] == {"meetings_per_year": 6, "touches_per_month": 2, "source": "override"}
    assert during["override"]["reason"] == "merger this year"
    assert during["by_rules"] == {"meetings_per_year": 4, "touches_per_month": 1, "source": "rule:standard"}
    assert after["cadence"] == after["by_rules"]
    assert after["override"] is None


def test_clearing_a_cadence_override_the_client_does_not_have_is_a_conflict(
    vcio_api: httpx.Client, log_head: LogHead
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    before = log_head()

    response = vcio_api.delete(f"/clients/{client_id}/cadence-override", params={"reason": "tidy"})

    assert response.status_code == 409
    assert problem_fields(response) == ["cadence_override"]
    assert log_head() == before


def test_a_tam_may_not_override_a_cadence(tam_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = tam_api.put(
        f"/clients/{client_id}/cadence-override",
        json={"meetings_per_year": 6, "touches_per_month": 2, "reason": "merger"},
    )

    assert response.status_code == 403


def test_an_unknown_time_zone_in_a_meeting_preference_is_refused_naming_the_field(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api)["client_id"]

    response = vcio_api.put(f"/clients/{client_id}/meeting-preference", json={"timezone": "Mars/Olympus"})

    assert response.status_code == 422
    assert problem_fields(response) == ["body.timezone"]


def test_planning_a_year_twice_records_one_plan_per_client(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    written = onboard(vcio_api)

    first = plan(admin_api, written["position"])
    second = plan(admin_api, written["position"])
    stored = ok(
        vcio_api.get(
            f"/clients/{written['client_id']}/meeting-plan",
            params={"year": NEXT_YEAR, "wait_for": first["position"]},
        )
    )

    [planned] = first["clients"]
    assert (planned["outcome"], len(planned["meetings"])) == ("planned", 4)
    assert [c["outcome"] for c in second["clients"]] == ["already planned"]
    assert second["position"] is None
    assert moments(stored["meetings"]) == moments(planned["meetings"])
    assert (stored["meetings_per_year"], stored["cadence_source"]) == (4, "rule:standard")
    assert [c["outcome"] for c in first["committees"]] == ["planned"]


def test_an_override_set_before_planning_sets_the_number_of_meetings(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    written = ok(
        vcio_api.put(
            f"/clients/{client_id}/cadence-override",
            json={"meetings_per_year": 6, "touches_per_month": 2, "reason": "merger this year"},
        )
    )

    planned = plan(admin_api, written["position"], client=client_id)

    [client_plan] = planned["clients"]
    assert client_plan["cadence"] == {"meetings_per_year": 6, "touches_per_month": 2, "source": "override"}
    assert len(client_plan["meetings"]) == 6
    assert planned["committees"] == []


def test_planned_meetings_fall_on_the_preferred_weekday_and_local_time(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    written = ok(
        vcio_api.put(
            f"/clients/{client_id}/meeting-preference",
            json={"weekday": 2, "time_of_day": "14:30", "timezone": "Europe/Berlin"},
        )
    )

    [client_plan] = plan(admin_api, written["position"], client=client_id)["clients"]

    local = [
        datetime.fromisoformat(m["scheduled_for"]).astimezone(ZoneInfo("Europe/Berlin"))
        for m in client_plan["meetings"]
    ]
    assert len(local) == 4
    assert {(t.isoweekday(), t.hour, t.minute) for t in local} == {(2, 14, 30)}


def test_a_dry_run_answers_the_plan_and_records_nothing(
    vcio_api: httpx.Client, admin_api: httpx.Client, log_head: LogHead
) -> None:
    written = onboard(vcio_api)
    ok(admin_api.get("/clients", params={"wait_for": written["position"]}))
    before = log_head()

    planned = plan(admin_api, written["position"], dry_run=True)

    assert [c["outcome"] for c in planned["clients"]] == ["dry run"]
    assert len(planned["clients"][0]["meetings"]) == 4
    assert log_head() == before


def test_only_an_admin_may_plan_a_year(vcio_api: httpx.Client) -> None:
    response = vcio_api.post("/schedule/plan", params={"year": NEXT_YEAR})

    assert response.status_code == 403


def test_planning_another_tenants_client_is_not_found(
    vcio_api: httpx.Client, caller: Caller, tenant: str
) -> None:
    written = onboard(vcio_api)
    stranger = caller("admin", of_tenant=f"{tenant}-stranger")

    response = stranger.post(
        "/schedule/plan",
        params={"year": NEXT_YEAR, "client": written["client_id"], "wait_for": written["position"]},
    )

    assert response.status_code == 404
    assert problem_fields(response) == ["client"]


def test_the_client_feed_parses_back_with_the_planned_meetings(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    written = onboard(vcio_api)
    planned = plan(admin_api, written["position"])
    stored = ok(
        vcio_api.get(
            f"/clients/{written['client_id']}/meeting-plan",
            params={"year": NEXT_YEAR, "wait_for": planned["position"]},
        )
    )

    feed = vcio_api.get(f"/clients/{written['client_id']}/meetings.ics", params={"year": NEXT_YEAR})

    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert events_of(feed) == {
        f"{m['meeting_id']}@vcio-ledger": datetime.fromisoformat(m["scheduled_for"])
        for m in stored["meetings"]
    }


def test_the_vcio_feed_holds_the_meetings_of_that_vcios_clients_only(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    onboard(vcio_api, name="Acme Dental")
    onboard(vcio_api, name="Bolt Freight", complexity=9)
    written = onboard(vcio_api, name="Cedar Law", vcio="victor.vcio")
    planned = plan(admin_api, written["position"])

    feed = vcio_api.get(
        "/vcios/vera.vcio/meetings.ics", params={"year": NEXT_YEAR, "wait_for": planned["position"]}
    )

    calendar = Calendar.from_ical(feed.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 4 + 6  # Acme quarterly; Bolt, complex, every other month
    assert not [s for s in summaries if "Cedar Law" in s]


def test_the_committee_feed_holds_its_meetings_and_the_yearly_library_review(
    vcio_api: httpx.Client, admin_api: httpx.Client
) -> None:
    written = onboard(vcio_api)
    planned = plan(admin_api, written["position"])

    feed = admin_api.get(
        "/schedule/committee.ics", params={"year": NEXT_YEAR, "wait_for": planned["position"]}
    )

    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT"))
    assert summaries == ["Standards committee"] * 4 + ["Standards library: yearly full review"]
