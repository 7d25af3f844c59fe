"""The MSP's settings over HTTP: an admin changes them, everyone reads them, bad values are
refused naming the field, and the committee replays under a proposed policy."""

import httpx
import pytest

from tests.e2e.steps import answer, complete, ok, onboard, problem_fields, publish_standard, start_review

pytestmark = pytest.mark.e2e

BANDS = {"clients_per_vcio": {"low": 30, "high": 40}, "average_mrr": {"low": 2500, "high": 3500},
         "mrr_per_vcio": {"low": 100000, "high": 130000},
         "nrr_share_percent": {"low": 20, "high": 30}}


def test_target_bands_set_by_an_admin_are_the_bands_in_force(admin_api: httpx.Client) -> None:
    written = ok(admin_api.put("/settings/target-bands", json={"bands": BANDS, "reason": "smaller team"}))

    shown = ok(admin_api.get("/settings", params={"wait_for": written["position"]}))

    assert shown["targets"]["clients_per_vcio"] == {"low": "30", "high": "40"}


def test_a_tenant_that_never_changed_its_settings_reads_the_defaults(vcio_api: httpx.Client) -> None:
    shown = ok(vcio_api.get("/settings"))

    assert (shown["weights"], shown["review_lead_days"], shown["own_cadence_rules"]) == (
        {"high": "5", "medium": "3", "low": "1"}, 14, False)


def test_a_vcio_may_not_change_the_scoring_policy(vcio_api: httpx.Client) -> None:
    response = vcio_api.put("/settings/scoring-policy", json={"reason": "mine"})

    assert response.status_code == 403


def test_a_negative_weight_is_refused_naming_the_field_and_records_nothing(
        admin_api: httpx.Client) -> None:
    response = admin_api.put("/settings/scoring-policy",
                             json={"weights": {"high": -1, "medium": 3, "low": 1}, "reason": "oops"})

    changes = ok(admin_api.get("/settings/changes"))
    assert (response.status_code, problem_fields(response), changes["count"]) == (
        422, ["body.weights.high"], 0)


def test_a_change_dated_before_today_is_refused_naming_effective_on(admin_api: httpx.Client) -> None:
    response = admin_api.put("/settings/review-lead-time",
                             json={"days": 21, "effective_on": "2020-01-01", "reason": "late"})

    assert (response.status_code, problem_fields(response)) == (422, ["effective_on"])


def test_cadence_rules_that_break_more_never_gives_less_are_refused_naming_both_rows(
        admin_api: httpx.Client) -> None:
    rules = {"cadence_rules": [
        {"name": "big", "when": {"mrr": {"min": 10000}}, "meetings_per_year": 2, "touches_per_month": 1},
        {"name": "everyone", "meetings_per_year": 4, "touches_per_month": 1}]}

    response = admin_api.put("/settings/cadence-rules", json={"rules": rules, "reason": "try"})

    error, = response.json()["errors"]
    assert (response.status_code, error["field"]) == (422, "body.rules")
    assert "'big'" in error["reason"] and "'everyone'" in error["reason"]


def test_replay_under_a_proposed_policy_answers_old_and_new_score_worked_by_hand(
        admin_api: httpx.Client, committee_api: httpx.Client, vcio_api: httpx.Client,
        tam_api: httpx.Client) -> None:
    high = publish_standard(committee_api, "FW-1", "firewalls", "high")
    low = publish_standard(committee_api, "FW-2", "firewalls", "low")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, high, "yes")
    answer(tam_api, client_id, review_id, low, "no")
    done = complete(tam_api, client_id, review_id)

    report = ok(committee_api.post("/settings/scoring-policy/replay",
                                   params={"wait_for": done["position"]},
                                   json={"weights": {"high": 5, "medium": 3, "low": 5}}))

    found, = [c for c in report["clients"] if c["client_id"] == client_id]
    assert (found["old_score"], found["new_score"], found["delta"]) == ("83.33", "50.00", "-33.33")


def test_the_vcio_dashboard_places_figures_against_the_msps_own_bands(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    onboard(vcio_api)
    written = ok(admin_api.put("/settings/target-bands", json={"bands": BANDS, "reason": "smaller team"}))

    shown = ok(vcio_api.get("/vcio-dashboard", params={
        "start": "2025-01-01", "end": "2025-04-01", "wait_for": written["position"]}))

    assert (shown["targets"]["nrr_share_percent"], shown["msp"]["nrr_target"]) == (
        {"low": "20", "high": "30"}, {"low": "20", "high": "30"})
