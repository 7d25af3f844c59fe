"""A client's alignment and scorecard list standards in natural key order (ac-2 before ac-14),
as the library does."""

import httpx

from tests.e2e.steps import answer, ok, onboard, publish_standard, start_review


def test_alignment_and_scorecard_items_come_in_natural_key_order(
        committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client) -> None:
    for key in ("ac-14", "ac-2", "ac-1"):
        publish_standard(committee_api, key, "access", "high")
    written = onboard(vcio_api)
    client = written["client_id"]
    review = start_review(tam_api, client)
    last = answer(tam_api, client, review, publish_standard(committee_api, "ac-3", "access", "low"), "yes")
    wait = {"wait_for": last["position"]}

    alignment = ok(vcio_api.get(f"/clients/{client}/alignment", params=wait))
    scorecard = ok(vcio_api.get(f"/clients/{client}/scorecard", params=wait))

    assert [i["key"] for i in alignment["items"]] == ["ac-1", "ac-2", "ac-3", "ac-14"]
    assert [i["key"] for i in scorecard["items"]] == ["ac-1", "ac-2", "ac-3", "ac-14"]
