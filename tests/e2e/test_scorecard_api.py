"""The rolling scorecard over HTTP: the client's current alignment across finalised reviews,
which partial and empty reviews never blank, and the score history's rolling points."""

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.steps import answer, ok, onboard, problem_fields, publish_standard, start_review

pytestmark = pytest.mark.e2e


@dataclass
class Client:
    client_id: str
    firewall: str  # high priority (weight 5)
    backup: str  # medium priority (weight 3)


def library_and_client(committee: httpx.Client, vcio: httpx.Client) -> Client:
    firewall = publish_standard(committee, "fw-mfa", "firewalls", "high")
    backup = publish_standard(committee, "bk-offsite", "backup", "medium")
    return Client(str(onboard(vcio)["client_id"]), firewall, backup)


def finalised_review(tam: httpx.Client, vcio: httpx.Client, client: Client, answers: dict[str, str],
                     ratings: dict[str, str] | None = None, note: str = "") -> dict[str, Any]:
    """Start, answer, submit (confirming what is left unanswered), rate and finalise a review."""
    review_id = start_review(tam, client.client_id)
    path = f"/clients/{client.client_id}/reviews/{review_id}"
    for standard_id, value in answers.items():
        ok(tam.put(f"{path}/answers/{standard_id}", json={"answer": value, "note": note}))
    ok(tam.post(f"{path}/submit", json={"confirm_unanswered": True}))
    for standard_id, rating in (ratings or {}).items():
        ok(vcio.put(f"{path}/ratings/{standard_id}", json={"rating": rating}))
    return ok(vcio.post(f"{path}/finalise", json={"unrated_as": "highly_vulnerable"}))


def scorecard(caller: httpx.Client, client: Client, written: dict[str, Any]) -> dict[str, Any]:
    return ok(caller.get(f"/clients/{client.client_id}/scorecard",
                         params={"wait_for": written["position"]}))


def test_a_partial_review_keeps_the_answers_it_did_not_give_on_the_scorecard(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "yes", client.backup: "no"},
                     {client.backup: "marginal"})
    written = finalised_review(tam_api, vcio_api, client, {client.firewall: "no"},
                               {client.firewall: "marginal"})

    card = scorecard(vcio_api, client, written)

    answers = {i["standard_id"]: (i["answer"], i["rating"]) for i in card["items"]}
    assert answers == {client.firewall: ("no", "marginal"), client.backup: ("no", "marginal")}
    # both marginal: 100 * (5 * 0.5 + 3 * 0.5) / (5 + 3)
    assert (card["score"], card["coverage"]) == ("50.00", "100.00")
    assert [c["category"] for c in card["categories"]] == ["backup", "firewalls"]


def test_an_empty_review_does_not_blank_the_scorecard(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    first = finalised_review(tam_api, vcio_api, client, {client.firewall: "yes", client.backup: "no"},
                             {client.backup: "highly_vulnerable"})
    before = scorecard(vcio_api, client, first)
    written = finalised_review(tam_api, vcio_api, client, {})

    after = scorecard(vcio_api, client, written)

    assert (after["score"], after["coverage"], after["answered"]) == ("62.50", "100.00", 2)
    assert after["score"] == before["score"]
    assert [i["standard_id"] for i in after["misaligned"]] == [client.backup]


def test_the_latest_reviews_working_view_is_empty_while_the_scorecard_is_not(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "yes"})
    written = finalised_review(tam_api, vcio_api, client, {})

    alignment = ok(vcio_api.get(f"/clients/{client.client_id}/alignment",
                                params={"wait_for": written["position"]}))
    card = scorecard(vcio_api, client, written)

    assert (alignment["score"], alignment["answered"]) == (None, 0)
    assert (card["score"], card["answered"], card["unanswered"]) == ("100.00", 1, 1)


def test_the_qbr_pack_reads_the_scorecard_after_an_empty_review(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "no", client.backup: "yes"},
                     {client.firewall: "marginal"})
    written = finalised_review(tam_api, vcio_api, client, {})

    pack = ok(vcio_api.get(f"/clients/{client.client_id}/qbr-pack",
                           params={"wait_for": written["position"]}))

    # 100 * (5 * 0.5 + 3 * 1) / 8 = 68.75
    assert (pack["score"], pack["coverage"]) == ("68.75", "100.00")
    assert [i["standard_id"] for i in pack["top_misaligned"]] == [client.firewall]


def test_a_standard_never_answered_is_due_and_its_category_is_listed_as_due(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    written = finalised_review(tam_api, vcio_api, client, {client.firewall: "yes"})

    card = scorecard(vcio_api, client, written)

    due = {i["standard_id"]: (i["is_due"], i["due_on"] is None) for i in card["items"]}
    assert due == {client.firewall: (False, False), client.backup: (True, True)}
    assert card["due_categories"] == ["backup"]


def test_the_scorecard_of_an_unknown_client_is_not_found(vcio_api: httpx.Client) -> None:
    missing = vcio_api.get("/clients/00000000-0000-4000-8000-000000000000/scorecard")

    assert problem_fields(missing) == ["client_id"] and missing.status_code == 404


def test_each_score_history_point_carries_the_rolling_score_after_its_review_and_its_own(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "yes", client.backup: "no"},
                     {client.backup: "highly_vulnerable"})
    written = finalised_review(tam_api, vcio_api, client, {client.firewall: "no"},
                               {client.firewall: "marginal"})

    points = ok(vcio_api.get(f"/clients/{client.client_id}/score-history",
                             params={"wait_for": written["position"]}))["data"]

    # review 1: 100 * 5 / 8 = 62.50, alone and after. Review 2 alone: the firewall answer only,
    # marginal: 50.00, half the standards covered. After review 2: firewall marginal and the
    # backup answer of review 1, highly vulnerable: 100 * 2.5 / 8 = 31.25.
    assert [(p["score"], p["rolling_score"]) for p in points] == [
        ("62.50", "62.50"), ("50.00", "31.25")]
    assert [(p["coverage"], p["rolling_coverage"]) for p in points] == [
        ("100.00", "100.00"), ("50.00", "100.00")]


def test_a_rolling_score_takes_the_clients_own_finalised_answers_never_another_clients(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    other = Client(str(onboard(vcio_api)["client_id"]), client.firewall, client.backup)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "yes", client.backup: "no"},
                     {client.backup: "highly_vulnerable"})
    for _ in range(2):  # its second review outranks the client's first, were they mixed up
        finalised_review(tam_api, vcio_api, other, {other.firewall: "yes", other.backup: "yes"})
    written = finalised_review(tam_api, vcio_api, client, {client.firewall: "no"},
                               {client.firewall: "marginal"})

    points = ok(vcio_api.get(f"/clients/{client.client_id}/score-history",
                             params={"wait_for": written["position"]}))["data"]

    # after review 2: its firewall answer, marginal, and review 1's backup answer, highly
    # vulnerable (100 * 2.5 / 8); never the other client's later, aligned answers
    assert [p["rolling_score"] for p in points] == ["62.50", "31.25"]


def test_a_category_a_review_did_not_cover_still_gets_its_rolling_point(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "yes", client.backup: "yes"})
    review_id = str(ok(tam_api.post(f"/clients/{client.client_id}/reviews",
                                    json={"categories": ["firewalls"]}), 201)["review_id"])
    path = f"/clients/{client.client_id}/reviews/{review_id}"
    answer(tam_api, client.client_id, review_id, client.firewall, "yes")
    ok(tam_api.post(f"{path}/submit", json={}))
    written = ok(vcio_api.post(f"{path}/finalise", json={}))

    points = ok(vcio_api.get(f"/clients/{client.client_id}/score-history",
                             params={"wait_for": written["position"], "category": "backup"}))["data"]

    assert [(p["review_number"], p["score"], p["rolling_score"]) for p in points] == [
        (1, "100.00", "100.00"), (2, None, "100.00")]


def test_the_previous_note_and_rating_are_shown_beside_each_item(
    committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client
) -> None:
    client = library_and_client(committee_api, vcio_api)
    finalised_review(tam_api, vcio_api, client, {client.firewall: "no"}, {client.firewall: "marginal"},
                     note="MFA off for the reception PC")
    review_id = start_review(tam_api, client.client_id)
    written = answer(tam_api, client.client_id, review_id, client.backup, "yes")

    alignment = ok(vcio_api.get(f"/clients/{client.client_id}/alignment",
                                params={"wait_for": written["position"]}))

    item = next(i for i in alignment["items"] if i["standard_id"] == client.firewall)
    assert (item["previous_answer"], item["previous_note"], item["previous_rating"]) == (
        "no", "MFA off for the reception PC", "marginal")
    assert alignment["review_status"] == "answering"
