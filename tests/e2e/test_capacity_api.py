"""The capacity view over HTTP: each vCIO's and TAM's load against the MSP's bands."""

import httpx
import pytest

from tests.e2e.steps import ok, onboard

pytestmark = pytest.mark.e2e

ONE_CLIENT_EACH = {"clients_per_vcio": {"low": 1, "high": 1}, "average_mrr": {"low": 2500, "high": 3500},
                   "mrr_per_vcio": {"low": 1000, "high": 5000},
                   "nrr_share_percent": {"low": 25, "high": 30}}


def test_a_vcio_over_the_msps_band_is_placed_above_it_with_the_client_that_pushes_them_over(
        admin_api: httpx.Client, vcio_api: httpx.Client) -> None:
    onboard(vcio_api, name="First", vcio="vic.vcio")
    second = onboard(vcio_api, name="Second", vcio="vic.vcio", mrr="1500.00")
    written = ok(admin_api.put("/settings/target-bands",
                               json={"bands": ONE_CLIENT_EACH, "reason": "tiny team"}))

    shown = ok(vcio_api.get("/capacity", params={"wait_for": written["position"]}))

    vic, = [p for p in shown["vcios"] if p["person"] == "vic.vcio"]
    assert (vic["clients"], vic["mrr"], vic["clients_band"], vic["mrr_band"]) == (2, "4500.00", "above", "in")
    assert [c["client_id"] for c in vic["pushing_over"]] == [second["client_id"]]


def test_each_month_ahead_asks_the_touches_of_every_client_s_cadence(vcio_api: httpx.Client) -> None:
    written = onboard(vcio_api, name="Only", vcio="tess.vcio")

    shown = ok(vcio_api.get("/capacity", params={"wait_for": written["position"]}))

    tess, = [p for p in shown["vcios"] if p["person"] == "tess.vcio"]
    assert [m["touches"] for m in tess["months"]] == [1] * 12
    assert tess["clients_band"] == "below" and tess["pushing_over"] == []
