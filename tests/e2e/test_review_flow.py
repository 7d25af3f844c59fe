"""The whole story over HTTP: the committee publishes, the vCIO onboards, the TAM reviews, the
vCIO rates, and the alignment read shows the brief's formula applied by hand."""

from decimal import Decimal

import httpx
import pytest

from tests.e2e.steps import answer, complete, ok, onboard, publish_standard, start_review

pytestmark = pytest.mark.e2e


def test_alignment_score_after_a_completed_review_equals_the_hand_computed_value(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    firewall = publish_standard(committee_api, "fw-admin-mfa", "firewalls", "high")
    logging = publish_standard(committee_api, "fw-logging", "firewalls", "medium")
    tape = publish_standard(committee_api, "bk-tape", "backup", "low", expected_answer="no")
    offsite = publish_standard(committee_api, "bk-offsite", "backup", "high")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, firewall, "yes")
    answer(tam_api, client_id, review_id, logging, "no")
    answer(tam_api, client_id, review_id, tape, "yes")
    answer(tam_api, client_id, review_id, offsite, "not_applicable")
    ok(
        vcio_api.put(
            f"/clients/{client_id}/reviews/{review_id}/ratings/{logging}",
            json={"rating": "marginal"},
        )
    )
    ok(
        vcio_api.put(
            f"/clients/{client_id}/reviews/{review_id}/ratings/{tape}",
            json={"rating": "highly_vulnerable"},
        )
    )
    written = complete(tam_api, client_id, review_id)

    alignment = ok(vcio_api.get(f"/clients/{client_id}/alignment", params={"wait_for": written["position"]}))

    # 100 * (5*1 + 3*0.5 + 1*0) / (5 + 3 + 1); the N/A high-priority standard is left out
    assert alignment["score"] == "72.22"
    assert Decimal(alignment["coverage"]) == Decimal("100.00")  # the n/a is out of both sides
    assert (
        alignment["answered"],
        alignment["aligned"],
        alignment["misaligned_count"],
        alignment["not_applicable"],
    ) == (3, 1, 2, 1)
    by_category = {c["category"]: Decimal(c["score"]) for c in alignment["categories"]}
    assert by_category == {"firewalls": Decimal("81.25"), "backup": Decimal("0.00")}
    assert alignment["review_status"] == "finalised"


def test_second_review_shows_the_answer_of_the_last_completed_review_as_previous(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    firmware = publish_standard(committee_api, "fw-firmware", "firewalls", "high")
    client_id = onboard(vcio_api)["client_id"]
    first = start_review(tam_api, client_id)
    answer(tam_api, client_id, first, firmware, "no")
    complete(tam_api, client_id, first)
    second = start_review(tam_api, client_id)

    written = answer(tam_api, client_id, second, firmware, "yes")
    alignment = ok(tam_api.get(f"/clients/{client_id}/alignment", params={"wait_for": written["position"]}))

    [item] = alignment["items"]
    assert (item["answer"], item["previous_answer"]) == ("yes", "no")
    assert alignment["review_id"] == second and alignment["previous_review_id"] == first


def test_misaligned_items_come_most_important_first(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    low = publish_standard(committee_api, "a-low", "email", "low")
    high = publish_standard(committee_api, "z-high", "email", "high")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, low, "no")
    written = answer(tam_api, client_id, review_id, high, "no")

    misaligned = ok(
        vcio_api.get(f"/clients/{client_id}/alignment/misaligned", params={"wait_for": written["position"]})
    )

    assert [i["standard_id"] for i in misaligned["data"]] == [high, low]


def test_score_history_has_one_point_per_completed_review(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    patching = publish_standard(committee_api, "pm-monthly", "patch management", "medium")
    client_id = onboard(vcio_api)["client_id"]
    for value in ("no", "yes"):
        review_id = start_review(tam_api, client_id)
        answer(tam_api, client_id, review_id, patching, value)
        written = complete(tam_api, client_id, review_id)

    history = ok(
        vcio_api.get(f"/clients/{client_id}/score-history", params={"wait_for": written["position"]})
    )

    assert [Decimal(p["score"]) for p in history["data"]] == [Decimal("0.0"), Decimal("100.0")]


def test_a_batch_of_answers_is_recorded_together(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    ups = publish_standard(committee_api, "pw-ups", "power", "medium")
    generator = publish_standard(committee_api, "pw-generator", "power", "low")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)

    written = ok(
        tam_api.post(
            f"/clients/{client_id}/reviews/{review_id}/answers",
            json={
                "answers": [
                    {"standard_id": ups, "answer": "yes"},
                    {"standard_id": generator, "answer": "not_applicable", "note": "no site"},
                ]
            },
        )
    )
    alignment = ok(tam_api.get(f"/clients/{client_id}/alignment", params={"wait_for": written["position"]}))

    assert {i["standard_id"]: i["answer"] for i in alignment["items"]} == {
        ups: "yes",
        generator: "not_applicable",
    }


def test_timeline_tells_who_changed_an_answer_and_can_be_narrowed_to_one_standard(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    wifi = publish_standard(committee_api, "wl-wpa3", "wireless", "medium")
    other = publish_standard(committee_api, "wl-guest", "wireless", "low")
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    answer(tam_api, client_id, review_id, other, "yes")
    answer(tam_api, client_id, review_id, wifi, "no")
    written = answer(tam_api, client_id, review_id, wifi, "yes")

    timeline = ok(
        vcio_api.get(
            f"/clients/{client_id}/timeline",
            params={"wait_for": written["position"], "standard_id": wifi, "actor": "tom.tam"},
        )
    )

    assert [(e["kind"], e["before"], e["after"]) for e in timeline["data"]] == [
        ("answer_changed", "no", "yes"),
        ("answer_recorded", None, "no"),
    ]


def test_paging_the_timeline_gives_every_entry_once_while_answers_keep_coming(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    standards = [publish_standard(committee_api, f"pg-{n}", "paging", "low") for n in range(3)]
    client_id = onboard(vcio_api)["client_id"]
    review_id = start_review(tam_api, client_id)
    for value in ("yes", "no"):
        for standard in standards:
            written = answer(tam_api, client_id, review_id, standard, value)
    url = f"/clients/{client_id}/timeline"
    first = ok(vcio_api.get(url, params={"wait_for": written["position"], "limit": 3}))
    for standard in standards:  # newer than the first page: never in the pages after it
        answer(tam_api, client_id, review_id, standard, "not_applicable")

    pages, cursor = [first], first["next"]
    while cursor is not None:
        pages.append(ok(vcio_api.get(url, params={"before": cursor, "limit": 3})))
        cursor = pages[-1]["next"]

    seen = [e["position"] for page in pages for e in page["data"]]
    whole = ok(vcio_api.get(url, params={"before": seen[0] + 1}))
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert seen == [e["position"] for e in whole["data"]] and len(seen) >= 8
