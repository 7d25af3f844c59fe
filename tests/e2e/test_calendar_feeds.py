"""Every iCalendar feed the API serves, read by a second parser (vobject, beside the icalendar
library that writes them), full and empty: RFC 5545 section 3.6 wants at least one component
in a calendar, so an empty feed carries a UTC ``VTIMEZONE`` and no event."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import vobject
from vobject.base import Component

from tests.e2e.steps import ok, onboard

pytestmark = pytest.mark.e2e

NEXT_YEAR = datetime.now(UTC).year + 1
EMPTY_YEAR = NEXT_YEAR + 1  # nobody plans it in these tests
CALENDAR_COMPONENTS = {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE"}

Feeds = dict[tuple[str, int], httpx.Response]


@pytest.fixture
def feeds(vcio_api: httpx.Client, admin_api: httpx.Client) -> Feeds:
    """Each feed route (by its OpenAPI path) for a planned year and for an empty one."""
    written = onboard(vcio_api)
    client_id = written["client_id"]
    planned = ok(admin_api.post("/schedule/plan", params={"year": NEXT_YEAR,
                                                            "wait_for": written["position"]}))
    wait = {"wait_for": planned["position"]}
    ok(vcio_api.get(f"/clients/{client_id}/meeting-plan", params={"year": NEXT_YEAR, **wait}))
    routes = {
        "/api/v1/clients/{client_id}/meetings.ics": f"/clients/{client_id}/meetings.ics",
        "/api/v1/vcios/{vcio}/meetings.ics": "/vcios/vera.vcio/meetings.ics",
        "/api/v1/schedule/committee.ics": "/schedule/committee.ics",
    }
    return {(route, year): vcio_api.get(path, params={"year": year, **wait})
            for route, path in routes.items() for year in (NEXT_YEAR, EMPTY_YEAR)}


def parsed(feed: httpx.Response) -> Any:
    assert feed.status_code == 200, feed.text
    return vobject.readOne(feed.text, validate=True)


def components(calendar: Any) -> list[str]:
    return [child.name for child in calendar.getChildren() if isinstance(child, Component)]


def test_the_feeds_cover_every_calendar_route_of_the_openapi(feeds: Feeds, api_url: str) -> None:
    document = httpx.get(f"{api_url}/openapi.json", timeout=60).json()
    calendar_routes = {path for path, operations in document["paths"].items()
                       for operation in operations.values()
                       if "text/calendar" in operation["responses"].get("200", {}).get("content", {})}

    assert {route for route, _ in feeds} == calendar_routes


def test_every_feed_parses_in_vobject_with_at_least_one_component(feeds: Feeds) -> None:
    found = {key: components(parsed(feed)) for key, feed in feeds.items()}

    assert all(names and set(names) <= CALENDAR_COMPONENTS for names in found.values()), found


def test_an_empty_feed_carries_only_a_utc_timezone(feeds: Feeds) -> None:
    empty = {route: components(parsed(feed)) for (route, year), feed in feeds.items()
             if year == EMPTY_YEAR}

    assert set(map(tuple, empty.values())) == {("VTIMEZONE",)}
    assert all(parsed(feed).vtimezone.tzid.value == "UTC"
               for (_, year), feed in feeds.items() if year == EMPTY_YEAR)


def test_a_planned_feed_holds_events_with_uid_start_and_stamp(feeds: Feeds) -> None:
    events = {route: parsed(feed).vevent_list for (route, year), feed in feeds.items()
              if year == NEXT_YEAR}

    assert all(events.values()), events.keys()
    assert all(e.uid.value and e.dtstart.value.tzinfo is not None and e.dtstamp.value
               for found in events.values() for e in found)
