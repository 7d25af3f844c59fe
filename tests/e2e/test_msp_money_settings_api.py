"""The MSP's currency and fiscal year and its workload bands over HTTP: an admin sets them,
everyone reads them, the MSP budget and new clients follow them, hostile values are refused
naming the field with nothing recorded."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.steps import (
    CLIENT_A,
    add_decision_maker,
    log_touch,
    ok,
    onboard,
    problem_fields,
    schedule_meeting,
)

pytestmark = pytest.mark.e2e

MONEY = {"currency": "EUR", "fiscal_year_start_month": 7, "reason": "we moved to Dublin"}
BANDS = {"clients_per_vcio": {"low": 30, "high": 40}, "average_mrr": {"low": 2500, "high": 3500},
         "mrr_per_vcio": {"low": 100000, "high": 130000}, "nrr_share_percent": {"low": 20, "high": 30}}


def test_currency_and_fiscal_year_set_by_an_admin_are_in_force(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    shown = ok(vcio_api.get("/settings", params={"wait_for": written["position"]}))

    assert (shown["currency"], shown["fiscal_year_start_month"]) == ("EUR", 7)


def test_the_change_is_listed_with_who_and_why(admin_api: httpx.Client) -> None:
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    change, = ok(admin_api.get("/settings/changes", params={"wait_for": written["position"]}))["data"]

    assert (change["kind"], change["by"], change["reason"], change["values"]) == (
        "financial_defaults", "ada.admin", "we moved to Dublin",
        {"currency": "EUR", "fiscal_year_start_month": 7})


def test_a_tenant_that_never_set_them_reads_usd_and_january(vcio_api: httpx.Client) -> None:
    shown = ok(vcio_api.get("/settings"))

    assert (shown["currency"], shown["fiscal_year_start_month"]) == ("USD", 1)


def test_another_tenants_change_is_not_in_force_here(
        admin_api: httpx.Client, caller: Callable[..., httpx.Client]) -> None:
    other = caller("admin", of_tenant="other-msp-money", name="oscar.admin")
    written = ok(other.put("/settings/financial-defaults", json=MONEY))

    shown = ok(admin_api.get("/settings", params={"wait_for": written["position"]}))

    assert shown["currency"] == "USD"


def test_a_vcio_may_not_change_the_currency(vcio_api: httpx.Client) -> None:
    response = vcio_api.put("/settings/financial-defaults", json=MONEY)

    assert response.status_code == 403


@pytest.mark.parametrize(("field", "value"), [
    ("currency", "XXX"), ("currency", "eur"), ("currency", ""), ("currency", "EU\u0000"),
    ("currency", "E" * 10_000), ("fiscal_year_start_month", 13), ("fiscal_year_start_month", 0),
    ("fiscal_year_start_month", 10**30), ("fiscal_year_start_month", True),
    ("fiscal_year_start_month", "7\u0000"), ("reason", ""), ("reason", "why\u0000"),
    ("effective_on", "9999-12-31"), ("effective_on", "2020-01-01"), ("effective_on", ""),
])
def test_a_hostile_value_is_refused_naming_its_field_and_records_nothing(
        admin_api: httpx.Client, log_head: Callable[[], int], field: str, value: Any) -> None:
    before = log_head()

    response = admin_api.put("/settings/financial-defaults", json={**MONEY, field: value})

    # A past day passes the body's checks and is refused by the domain, which names the field alone.
    named = field if value == "2020-01-01" else f"body.{field}"
    assert (response.status_code, problem_fields(response), log_head()) == (422, [named], before)


def test_an_unknown_field_is_refused_naming_it(admin_api: httpx.Client) -> None:
    response = admin_api.put("/settings/financial-defaults", json={**MONEY, "tenant": "someone-else"})

    assert (response.status_code, problem_fields(response)) == (422, ["body.tenant"])


def test_the_msp_budget_falls_into_the_msps_fiscal_quarters(admin_api: httpx.Client) -> None:
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    budget = ok(admin_api.get("/budget", params={"wait_for": written["position"], "first": "2027-01-01"}))

    assert (budget["fiscal_year_start_month"], budget["quarters"][0]["label"]) == (7, "FY2027 Q3")


def test_a_new_client_without_a_fiscal_year_starts_it_in_the_msps_month(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    ok(admin_api.put("/settings/financial-defaults", json=MONEY))
    body = {k: v for k, v in CLIENT_A.items() if k != "fiscal_year_start_month"}
    client = ok(vcio_api.post("/clients", json=body), 201)

    shown = ok(vcio_api.get(f"/clients/{client['client_id']}", params={"wait_for": client["position"]}))

    assert shown["fiscal_year_start_month"] == 7


def test_capacity_places_each_month_against_the_touch_and_meeting_bands(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    onboard(vcio_api, name="Only", vcio="tess.vcio")
    written = ok(admin_api.put("/settings/target-bands", json={"bands": {
        **BANDS, "touches_per_vcio_month": {"low": 1, "high": 1},
        "meetings_per_vcio_month": {"low": 1, "high": 2}}, "reason": "one client"}))

    shown = ok(vcio_api.get("/capacity", params={"wait_for": written["position"]}))

    tess, = [p for p in shown["vcios"] if p["person"] == "tess.vcio"]
    first = tess["months"][0]
    assert (first["touches"], first["touches_band"], first["meetings"], first["meetings_band"]) == (
        1, "in", 0, "below")


def test_the_default_workload_bands_come_from_the_manuals_cadence_table(vcio_api: httpx.Client) -> None:
    targets = ok(vcio_api.get("/settings"))["targets"]

    assert (targets["touches_per_vcio_month"], targets["meetings_per_vcio_month"]) == (
        {"low": "35", "high": "90"}, {"low": "11", "high": "23"})


@pytest.mark.parametrize("limit", ["1e999999", "-5", "99999999999999999999999999"])
def test_a_cadence_limit_no_client_can_have_is_refused_naming_the_row_and_records_nothing(
        admin_api: httpx.Client, log_head: Callable[[], int], limit: str) -> None:
    rules = {"cadence_rules": [
        {"name": "big", "when": {"mrr": {"min": limit}}, "meetings_per_year": 12, "touches_per_month": 2},
        {"name": "everyone", "meetings_per_year": 4, "touches_per_month": 1}]}
    before = log_head()

    response = admin_api.put("/settings/cadence-rules", json={"rules": rules, "reason": "try"})

    error, = response.json()["errors"]
    assert (response.status_code, error["field"], log_head()) == (422, "body.rules", before)
    assert "row 'big': mrr min" in error["reason"]


def test_a_cadence_row_name_with_a_nul_is_refused_naming_rules(admin_api: httpx.Client) -> None:
    rules = {"cadence_rules": [{"name": "every\u0000one", "meetings_per_year": 4, "touches_per_month": 1}]}

    response = admin_api.put("/settings/cadence-rules", json={"rules": rules, "reason": "try"})

    assert (response.status_code, problem_fields(response)) == (422, ["body.rules"])


def test_the_msp_budget_is_in_usd_for_a_tenant_that_never_chose(vcio_api: httpx.Client) -> None:
    budget = ok(vcio_api.get("/budget"))

    assert budget["currency"] == "USD"


def test_the_msp_budget_is_in_the_msps_currency(admin_api: httpx.Client) -> None:
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    budget = ok(admin_api.get("/budget", params={"wait_for": written["position"]}))

    assert budget["currency"] == "EUR"


def test_a_clients_budget_is_in_the_msps_currency(admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client = onboard(vcio_api)
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    budget = ok(vcio_api.get(f"/clients/{client['client_id']}/budget",
                             params={"wait_for": max(written["position"], client["position"])}))

    assert budget["currency"] == "EUR"


def test_a_clients_roadmap_is_in_the_msps_currency(admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client = onboard(vcio_api)
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    roadmap = ok(vcio_api.get(f"/clients/{client['client_id']}/roadmap",
                              params={"wait_for": max(written["position"], client["position"])}))

    assert roadmap["currency"] == "EUR"


def test_a_clients_qbr_pack_is_in_the_msps_currency(admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client = onboard(vcio_api)
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    pack = ok(vcio_api.get(f"/clients/{client['client_id']}/qbr-pack",
                           params={"wait_for": max(written["position"], client["position"])}))

    assert pack["currency"] == "EUR"


def test_the_printable_qbr_page_shows_money_in_the_msps_currency(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client = onboard(vcio_api)
    written = ok(admin_api.put("/settings/financial-defaults", json=MONEY))

    page = vcio_api.get(f"/clients/{client['client_id']}/qbr.html",
                        params={"wait_for": max(written["position"], client["position"])})

    assert (page.status_code, "EUR 0.00" in page.text) == (200, True)


def test_the_dashboard_places_a_vcios_touches_and_meetings_a_month_against_the_msps_bands(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    client = onboard(vcio_api, name="Only", vcio="tess.vcio")["client_id"]
    person = add_decision_maker(vcio_api, client)
    meeting = schedule_meeting(vcio_api, client, "2025-02-05T15:00:00Z")["meeting_id"]
    ok(vcio_api.post(f"/clients/{client}/meetings/{meeting}/hold", json={"held_at": "2025-02-05T16:00:00Z"}))
    log_touch(vcio_api, client, "2025-02-10T10:00:00Z", decision_maker_id=person)
    written = ok(admin_api.put("/settings/target-bands", json={"bands": {
        **BANDS, "touches_per_vcio_month": {"low": 2, "high": 4},
        "meetings_per_vcio_month": {"low": 1, "high": 2}}, "reason": "one client"}))

    board = ok(vcio_api.get("/vcio-dashboard", params={
        "start": "2025-02-01", "end": "2025-03-01", "today": "2025-02-28",
        "wait_for": written["position"]}))

    tess, = [m for m in board["vcios"] if m["vcio"] == "tess.vcio"]
    assert (tess["touches_per_month"], tess["touches_per_month_band"], tess["meetings_held_per_month"],
            tess["meetings_per_month_band"]) == ("1.0", "below", "1.0", "in")
