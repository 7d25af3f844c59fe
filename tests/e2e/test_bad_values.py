"""Every bad value found by fuzzing and by hand is refused with a 4xx naming the field, and
records nothing: text with NUL, integers past what a read model stores, booleans as numbers,
padded amounts, dates outside 1900-2200, null in a partial update, and the same in queries.

The assertions read the status and the response text only, so they hold for today's
``{"detail": ...}`` bodies and for problem-details bodies alike."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.steps import CLIENT_A, LogHead, ok, onboard, publish_standard

pytestmark = pytest.mark.e2e

STANDARD = {"key": "fw-1", "category": "firewalls", "question": "Is the firmware current?",
            "how_to_check": "Look.", "why_it_matters": "Exposure.", "priority": "high",
            "review_frequency": "annual"}


@dataclass(frozen=True)
class Bad:
    """One bad request: who sends it, the method, the path (``{client}`` and ``{standard}``
    are filled in), the JSON body, and the field the answer must name."""

    role: str
    method: str
    path: str
    field: str
    body: dict[str, Any] | None = None


WRITES = {
    "NUL in a client name": Bad("vcio", "POST", "/clients", "name", {**CLIENT_A, "name": "a\u0000b"}),
    "user_count of 10^10": Bad("vcio", "POST", "/clients", "user_count",
                               {**CLIENT_A, "user_count": 10_000_000_000}),
    "complexity true": Bad("vcio", "POST", "/clients", "complexity", {**CLIENT_A, "complexity": True}),
    "mrr padded with spaces": Bad("vcio", "POST", "/clients", "mrr", {**CLIENT_A, "mrr": " 5 "}),
    "NUL in a standard question": Bad("committee", "POST", "/standards", "question",
                                      {**STANDARD, "question": "Is it\u0000on?"}),
    "a meeting in year 0001": Bad("vcio", "POST", "/clients/{client}/meetings", "scheduled_for",
                                  {"kind": "technology_business_review",
                                   "scheduled_for": "0001-01-01T09:00:00Z"}),
    "a touch in year 9999": Bad("vcio", "POST", "/clients/{client}/touches", "happened_at",
                                {"kind": "call", "happened_at": "9999-06-01T09:00:00Z"}),
    "9999-12-31T23:59:59-14:00 (year 10000 in UTC)": Bad(
        "vcio", "POST", "/clients/{client}/meetings", "scheduled_for",
        {"kind": "technology_business_review", "scheduled_for": "9999-12-31T23:59:59-14:00"}),
    "a target quarter in year 9999": Bad("vcio", "POST", "/clients/{client}/recommendations",
                                         "target_quarter_start",
                                         {"title": "Firewall", "owner": "vera.vcio",
                                          "target_quarter_start": "9999-10-01"}),
    "priority null in a revision": Bad("committee", "POST", "/standards/{standard}/revise", "priority",
                                       {"changes": {"priority": None}, "reason": "tidy"}),
    "NUL in a profile change": Bad("vcio", "PATCH", "/clients/{client}", "industry",
                                   {"industry": "dental\u0000"}),
}

READS = {
    "NUL in ?vcio=": Bad("vcio", "GET", "/clients?vcio=a%00b", "vcio"),
    "NUL in ?category=": Bad("vcio", "GET", "/standards?category=a%00b", "category"),
    "NUL in ?actor=": Bad("vcio", "GET", "/clients/{client}/timeline?actor=a%00b", "actor"),
    "dashboard from 0001 to 9999": Bad("vcio", "GET", "/vcio-dashboard?start=0001-01-01&end=9999-12-31",
                                       "start"),
    "meeting calendar ending in 9999": Bad("vcio", "GET", "/meeting-calendar?end=9999-12-31", "end"),
    "client meetings starting in 9999": Bad("vcio", "GET", "/clients/{client}/meetings?start=9999-12-01",
                                            "start"),
    "touch cadence from 9999-12": Bad("vcio", "GET", "/touch-cadence?first=9999-12-01", "first"),
    "roadmap for 9999-12-31": Bad("vcio", "GET", "/clients/{client}/roadmap?today=9999-12-31", "today"),
    "budget for 9999-12-31": Bad("vcio", "GET", "/clients/{client}/budget?today=9999-12-31", "today"),
    "QBR pack for 9999-12-31": Bad("vcio", "GET", "/clients/{client}/qbr-pack?today=9999-12-31", "today"),
    "NUL in a vCIO's calendar path": Bad("vcio", "GET", "/vcios/a%00b/meetings.ics", "vcio"),
    "a date given as a number": Bad("vcio", "GET", "/clients/{client}/roadmap?today=20250101", "today"),
    "timeline since year 9999 at -14:00": Bad(
        "vcio", "GET", "/clients/{client}/timeline?since=9999-12-31T23:59:59-14:00", "since"),
}


@pytest.fixture
def send(caller: Callable[..., httpx.Client], vcio_api: httpx.Client,
         committee_api: httpx.Client) -> Callable[[Bad], httpx.Response]:
    onboarded = onboard(vcio_api)
    ids = {"client": onboarded["client_id"],
           "standard": publish_standard(committee_api, "fw-base", "firewalls", "high")}
    # Reads check the client in the client directory: wait until it lists the new client.
    ok(vcio_api.get(f"/clients/{ids['client']}", params={"wait_for": onboarded["position"]}))
    clients = {"vcio": vcio_api, "committee": committee_api}

    def sending(bad: Bad) -> httpx.Response:
        return clients[bad.role].request(bad.method, bad.path.format(**ids), json=bad.body)

    return sending


@pytest.mark.parametrize("bad", WRITES.values(), ids=WRITES.keys())
def test_a_bad_value_in_a_write_answers_4xx_naming_the_field_and_records_nothing(
    send: Callable[[Bad], httpx.Response], log_head: LogHead, bad: Bad
) -> None:
    before = log_head()

    response = send(bad)

    assert 400 <= response.status_code < 500, response.text
    assert bad.field in response.text
    assert log_head() == before


@pytest.mark.parametrize("bad", READS.values(), ids=READS.keys())
def test_a_bad_value_in_a_query_answers_4xx_naming_the_parameter(
    send: Callable[[Bad], httpx.Response], bad: Bad
) -> None:
    response = send(bad)

    assert 400 <= response.status_code < 500, response.text
    assert bad.field in response.text


def test_the_last_supported_day_is_still_accepted_by_the_roadmap(
    send: Callable[[Bad], httpx.Response]
) -> None:
    response = send(Bad("vcio", "GET", "/clients/{client}/roadmap?today=2200-12-31&quarters=12", "today"))

    ok(response)
