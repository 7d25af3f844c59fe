"""The strategy side over HTTP: recommendations approved only by decision makers, the roadmap and
budget with their money, meetings and action items, touches against cadence, and the vCIO
dashboard, each read back through the projections with exact numbers."""

from decimal import Decimal

import httpx
import pytest

from tests.e2e.steps import (
    LogHead,
    add_decision_maker,
    approve,
    log_touch,
    ok,
    onboard,
    problem_fields,
    propose,
    schedule_meeting,
)

pytestmark = pytest.mark.e2e


def money(value: str) -> Decimal:
    return Decimal(value)


def test_a_recommendation_approved_by_a_decision_maker_reads_back_as_approved(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    proposed = propose(vcio_api, client_id, "Replace the firewall", one_time_budget="2400.00")
    path = f"/clients/{client_id}/recommendations/{proposed['recommendation_id']}"

    presented = vcio_api.post(f"{path}/present")
    approved = vcio_api.post(f"{path}/approve", json={"decision_maker_id": person})
    roadmap = ok(
        vcio_api.get(f"/clients/{client_id}/roadmap", params={"wait_for": approved.json()["position"]})
    )

    assert (presented.status_code, approved.status_code) == (200, 200)
    [item] = roadmap["unscheduled"]
    assert (item["title"], item["status"]) == ("Replace the firewall", "approved")
    assert item["approved_at"] is not None


def test_approval_by_someone_who_is_not_a_decision_maker_is_refused_and_records_nothing(
    vcio_api: httpx.Client, log_head: LogHead
) -> None:
    client_id = onboard(vcio_api)["client_id"]
    proposed = propose(vcio_api, client_id, "Replace the firewall")
    path = f"/clients/{client_id}/recommendations/{proposed['recommendation_id']}"
    ok(vcio_api.post(f"{path}/present"))
    stranger = "00000000-0000-4000-8000-000000000001"
    before = log_head()

    response = vcio_api.post(f"{path}/approve", json={"decision_maker_id": stranger})

    assert response.status_code == 422
    assert problem_fields(response) == ["decision_maker_id"]
    assert log_head() == before


def test_roadmap_totals_follow_an_april_fiscal_year_with_recurring_costs_every_month(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api, fiscal_year_start_month=4)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    first = propose(
        vcio_api,
        client_id,
        "Backup appliance",
        target_quarter_start="2025-04-01",
        one_time_budget="1200.00",
        recurring_monthly_budget="100.00",
    )
    approve(vcio_api, client_id, first["recommendation_id"], person)
    propose(
        vcio_api,
        client_id,
        "Wi-Fi refresh",
        target_quarter_start="2025-07-01",
        one_time_budget="5000.00",
        recurring_monthly_budget="50.00",
    )
    last = propose(vcio_api, client_id, "Password manager", one_time_budget="300.00")

    roadmap = ok(
        vcio_api.get(
            f"/clients/{client_id}/roadmap", params={"today": "2025-05-10", "wait_for": last["position"]}
        )
    )

    quarters = [
        (q["start"], money(q["one_time"]), money(q["recurring"]), money(q["total"]))
        for q in roadmap["quarters"]
    ]
    assert quarters == [
        ("2025-04-01", Decimal("1200.00"), Decimal("300.00"), Decimal("1500.00")),
        ("2025-07-01", Decimal("5000.00"), Decimal("450.00"), Decimal("5450.00")),
        ("2025-10-01", Decimal("0"), Decimal("450.00"), Decimal("450.00")),
        ("2026-01-01", Decimal("0"), Decimal("450.00"), Decimal("450.00")),
    ]
    assert (money(roadmap["one_time"]), money(roadmap["recurring"])) == (
        Decimal("6200.00"),
        Decimal("1650.00"),
    )
    assert [i["title"] for i in roadmap["unscheduled"]] == ["Password manager"]


def test_client_budget_keeps_approved_and_proposed_money_apart_with_exact_totals(
    vcio_api: httpx.Client,
) -> None:
    client_id = onboard(vcio_api, fiscal_year_start_month=4)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    first = propose(
        vcio_api,
        client_id,
        "Backup appliance",
        target_quarter_start="2025-04-01",
        one_time_budget="1200.00",
        recurring_monthly_budget="100.00",
    )
    approve(vcio_api, client_id, first["recommendation_id"], person)
    propose(
        vcio_api,
        client_id,
        "Wi-Fi refresh",
        target_quarter_start="2025-07-01",
        one_time_budget="5000.00",
        recurring_monthly_budget="50.00",
    )
    last = propose(vcio_api, client_id, "Password manager", one_time_budget="300.00")

    budget = ok(
        vcio_api.get(
            f"/clients/{client_id}/budget", params={"today": "2025-05-10", "wait_for": last["position"]}
        )
    )

    total = budget["total"]
    assert [
        money(total[k])
        for k in ("approved_one_time", "approved_recurring", "proposed_one_time", "proposed_recurring")
    ] == [Decimal("1200.00"), Decimal("1200.00"), Decimal("5000.00"), Decimal("450.00")]
    second_quarter = budget["quarters"][1]
    assert (money(second_quarter["approved_total"]), money(second_quarter["proposed_total"])) == (
        Decimal("300.00"),
        Decimal("5150.00"),
    )
    assert money(budget["unscheduled"]["proposed_one_time"]) == Decimal("300.00")


def test_vcio_dashboard_numbers_for_a_small_scenario_equal_the_hand_computed_ones(
    vcio_api: httpx.Client,
) -> None:
    first = onboard(vcio_api, name="Acme Dental", mrr="3000.00")["client_id"]
    second = onboard(vcio_api, name="Bolt Freight", mrr="1500.00", complexity=9, vcio="victor.vcio")[
        "client_id"
    ]
    person = add_decision_maker(vcio_api, first)
    item = propose(
        vcio_api, first, "Backup appliance", target_quarter_start="2025-04-01", one_time_budget="2700.00"
    )
    approve(vcio_api, first, item["recommendation_id"], person, approved_at="2025-02-10T12:00:00Z")
    held = schedule_meeting(vcio_api, first, "2025-02-05T15:00:00Z")["meeting_id"]
    ok(vcio_api.post(f"/clients/{first}/meetings/{held}/hold", json={"held_at": "2025-02-05T16:00:00Z"}))
    schedule_meeting(vcio_api, first, "2025-06-10T15:00:00Z")
    log_touch(vcio_api, first, "2025-01-20T10:00:00Z", decision_maker_id=person)
    log_touch(vcio_api, first, "2025-02-02T10:00:00Z", contact_role="office manager")
    last = log_touch(vcio_api, second, "2025-03-01T10:00:00Z", contact_role="owner")

    board = ok(
        vcio_api.get(
            "/vcio-dashboard",
            params={
                "start": "2025-01-01",
                "end": "2025-04-01",
                "today": "2025-03-15",
                "wait_for": last["position"],
            },
        )
    )

    msp, vera = board["msp"], board["vcios"][0]
    # MSP: MRR 4,500 over 3 months is 13,500; 2,700 of it is 20.0%. Targets 1 + 2 a month.
    assert (msp["counts"]["clients"], money(msp["counts"]["mrr"]), money(msp["average_mrr"])) == (
        2,
        Decimal("4500.00"),
        Decimal("2250.00"),
    )
    assert (money(msp["touch_target"]), msp["counts"]["touches"]) == (Decimal("9.00"), 1)
    assert (money(msp["nrr_share"]), msp["nrr_band"]) == (Decimal("20.0"), "below")
    # Vera alone: 2,700 of 9,000 is 30.0%, the top of the band (inclusive).
    assert vera["vcio"] == "vera.vcio"
    assert (money(vera["nrr_share"]), vera["nrr_band"]) == (Decimal("30.0"), "in")
    assert (vera["counts"]["meetings_held"], vera["counts"]["meetings_scheduled_next_12_months"]) == (1, 1)
    assert (vera["counts"]["backlog_count"], money(vera["counts"]["backlog_one_time"])) == (
        1,
        Decimal("2700.00"),
    )


def test_the_roadmap_status_filter_keeps_only_the_statuses_asked_for(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    chosen = propose(vcio_api, client_id, "Backup appliance")
    written = approve(vcio_api, client_id, chosen["recommendation_id"], person)
    propose(vcio_api, client_id, "Wi-Fi refresh")

    roadmap = ok(
        vcio_api.get(
            f"/clients/{client_id}/roadmap",
            params={"status": ["approved", "in_progress"], "wait_for": written["position"]},
        )
    )

    assert [i["title"] for i in roadmap["unscheduled"]] == ["Backup appliance"]


def test_a_declined_recommendation_costs_nothing_in_the_budget(vcio_api: httpx.Client) -> None:
    client_id = onboard(vcio_api)["client_id"]
    person = add_decision_maker(vcio_api, client_id)
    item = propose(
        vcio_api, client_id, "Wi-Fi refresh", target_quarter_start="2025-04-01", one_time_budget="900.00"
    )
    path = f"/clients/{client_id}/recommendations/{item['recommendation_id']}"
    declined = ok(vcio_api.post(f"{path}/decline", json={"decision_maker_id": person, "reason": "no budget"}))

    budget = ok(
        vcio_api.get(
            f"/clients/{client_id}/budget", params={"today": "2025-05-10", "wait_for": declined["position"]}
        )
    )

    assert [money(budget["total"][k]) for k in ("approved_total", "proposed_total")] == [
        Decimal(0),
        Decimal(0),
    ]
