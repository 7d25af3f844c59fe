"""The QBR pack over HTTP: the same pack as JSON and as a printable page."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.steps import (
    Caller,
    add_decision_maker,
    answer,
    approve,
    complete,
    ok,
    onboard,
    propose,
    publish_standard,
    schedule_meeting,
    start_review,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def reviewed_client(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> dict[str, Any]:
    """A client whose one completed review scores 62.5: 100 * (5*1 + 3*0) / (5 + 3)."""
    mfa = publish_standard(committee_api, "fw-admin-mfa", "firewalls", "high")
    logging = publish_standard(committee_api, "fw-logging", "firewalls", "medium")
    client_id = onboard(vcio_api, name="Harbour Dental")["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, mfa, "yes")
    answer(tam_api, client_id, review_id, logging, "no")
    ok(
        vcio_api.put(
            f"/clients/{client_id}/reviews/{review_id}/ratings/{logging}",
            json={"rating": "highly_vulnerable"},
        )
    )
    complete(tam_api, client_id, review_id)
    person = add_decision_maker(vcio_api, client_id)
    item = propose(
        vcio_api,
        client_id,
        "Central log collection",
        target_quarter_start="2025-04-01",
        one_time_budget="1800.00",
        recurring_monthly_budget="75.00",
    )
    approve(vcio_api, client_id, item["recommendation_id"], person)
    meeting = schedule_meeting(vcio_api, client_id, "2025-05-20T14:00:00Z")
    return {"client_id": client_id, "meeting_id": meeting["meeting_id"], "position": meeting["position"]}


def test_qbr_pack_json_has_the_score_the_misaligned_item_and_the_roadmap(
    vcio_api: httpx.Client, reviewed_client: dict[str, Any]
) -> None:
    client_id = reviewed_client["client_id"]

    pack = ok(
        vcio_api.get(
            f"/clients/{client_id}/qbr-pack",
            params={
                "meeting_id": reviewed_client["meeting_id"],
                "today": "2025-05-12",
                "wait_for": reviewed_client["position"],
            },
        )
    )

    assert pack["client_name"] == "Harbour Dental"
    assert Decimal(pack["score"]) == Decimal("62.5")
    assert [i["key"] for i in pack["top_misaligned"]] == ["fw-logging"]
    assert pack["meeting"]["meeting_id"] == reviewed_client["meeting_id"]
    first_quarter = pack["roadmap"]["quarters"][0]
    assert (
        first_quarter["start"],
        Decimal(first_quarter["one_time"]),
        Decimal(first_quarter["recurring"]),
    ) == ("2025-04-01", Decimal("1800.00"), Decimal("225.00"))


def test_printable_qbr_page_shows_the_client_name_score_and_roadmap(
    vcio_api: httpx.Client, reviewed_client: dict[str, Any]
) -> None:
    client_id = reviewed_client["client_id"]

    page = vcio_api.get(
        f"/clients/{client_id}/qbr.html",
        params={
            "meeting_id": reviewed_client["meeting_id"],
            "today": "2025-05-12",
            "wait_for": reviewed_client["position"],
        },
    )

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Harbour Dental" in page.text
    assert "62.5" in page.text
    assert "fw-logging" in page.text
    assert "Central log collection" in page.text
    assert "1,800.00" in page.text
    assert "@media print" in page.text


def test_the_qbr_page_of_another_tenants_client_is_not_found(
    reviewed_client: dict[str, Any], caller: Caller, tenant: str
) -> None:
    stranger = caller("admin", of_tenant=f"{tenant}-stranger")

    page = stranger.get(
        f"/clients/{reviewed_client['client_id']}/qbr.html", params={"wait_for": reviewed_client["position"]}
    )

    assert (page.status_code, page.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "client_id" in page.text


def test_the_qbr_page_for_a_meeting_of_another_client_is_not_found(
    vcio_api: httpx.Client, reviewed_client: dict[str, Any]
) -> None:
    other = onboard(vcio_api, name="Other Client")

    page = vcio_api.get(
        f"/clients/{other['client_id']}/qbr.html",
        params={"meeting_id": reviewed_client["meeting_id"], "wait_for": other["position"]},
    )

    assert (page.status_code, page.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert "meeting_id" in page.text
