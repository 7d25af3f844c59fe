"""Lists that grow are read a page at a time (``limit``, then ``after`` = the page's ``next``):
each row that was there when paging began comes exactly once, in the list's order, even while
rows are written between pages; a cursor the list did not give answers 422 naming ``after``."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.steps import (
    answer,
    ok,
    onboard,
    problem_fields,
    publish_standard,
    published,
    schedule_meeting,
)

pytestmark = pytest.mark.e2e


def every_page(read: Callable[[dict[str, Any]], dict[str, Any]], limit: int,
               between: Callable[[int], None]) -> list[dict[str, Any]]:
    """The rows of every page in turn, calling ``between`` (a write) after each page."""
    rows: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": limit}
    for turn in range(100):
        page = read(params)
        rows.extend(page["data"])
        assert page["count"] == len(page["data"])
        if page["next"] is None:
            return rows
        between(turn)
        params = {"limit": limit, "after": page["next"]}
    raise AssertionError("the pages never ended")


def test_every_client_comes_exactly_once_across_pages_while_clients_are_onboarded(
        vcio_api: httpx.Client) -> None:
    first = [onboard(vcio_api, name=f"Client {n:02d}") for n in range(0, 14, 2)]
    head = first[-1]["position"]

    def onboard_around(turn: int) -> None:  # one sorting before the cursor, one after it
        onboard(vcio_api, name=f"Client {turn * 4 + 1:02d}")
        onboard(vcio_api, name=f"Client {turn * 4 + 11:02d}x")

    rows = every_page(lambda p: ok(vcio_api.get("/clients", params={**p, "wait_for": head})), 3,
                      onboard_around)

    ids = [r["client_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert {c["client_id"] for c in first} <= set(ids)
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)


def test_a_client_page_tells_the_total_over_all_pages(vcio_api: httpx.Client) -> None:
    head = [onboard(vcio_api, name=f"Total {n}") for n in range(3)][-1]["position"]

    page = ok(vcio_api.get("/clients", params={"limit": 2, "wait_for": head}))

    assert (page["count"], page["total"], page["next"] is not None) == (2, 3, True)


def test_every_standard_comes_exactly_once_in_natural_key_order_across_pages_while_drafts_are_added(
        committee_api: httpx.Client) -> None:
    head = [published(committee_api, key, "access", "high")
            for key in ("ac-14", "ac-2", "ac-1", "ac-3", "ac-20", "ac-10")][-1]["position"]

    def publish_between(turn: int) -> None:
        publish_standard(committee_api, f"ac-{turn + 4}", "access", "low")

    rows = every_page(lambda p: ok(committee_api.get("/standards", params={**p, "wait_for": head})),
                      2, publish_between)

    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert {"ac-1", "ac-2", "ac-3", "ac-10", "ac-14", "ac-20"} <= set(keys)
    assert keys == sorted(keys, key=lambda k: int(k.split("-")[1]))


def test_every_suggestion_comes_exactly_once_across_pages_while_more_arrive(
        tam_api: httpx.Client, committee_api: httpx.Client) -> None:
    def suggest(n: int) -> dict[str, Any]:
        return ok(tam_api.post("/suggestions", json={"kind": "new_standard", "text": f"Cover {n}."}),
                  201)

    sent = [suggest(n) for n in range(5)]
    head = sent[-1]["position"]

    rows = every_page(lambda p: ok(committee_api.get("/suggestions", params={**p, "wait_for": head})),
                      2, lambda turn: suggest(100 + turn) and None)

    ids = [r["suggestion_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert {s["suggestion_id"] for s in sent} <= set(ids)


def begin_review(vcio: httpx.Client, tam: httpx.Client) -> tuple[str, str, int]:
    """A new client's review started: the client's id, the review's and its start's position."""
    client_id = str(onboard(vcio)["client_id"])
    started = ok(tam.post(f"/clients/{client_id}/reviews", json={}), 201)
    return client_id, str(started["review_id"]), int(started["position"])


def test_every_review_under_way_comes_exactly_once_oldest_first_across_pages_while_more_start(
        committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    started = [begin_review(vcio_api, tam_api) for _ in range(5)]
    head = started[-1][2]

    rows = every_page(
        lambda p: ok(vcio_api.get("/reviews/under-way", params={**p, "wait_for": head})), 2,
        lambda turn: begin_review(vcio_api, tam_api) and None)

    ids = [r["review_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert {review_id for _, review_id, _ in started} <= set(ids)
    assert [(r["started_at"], r["review_id"]) for r in rows] == sorted(
        (r["started_at"], r["review_id"]) for r in rows)


def test_a_page_of_reviews_under_way_tells_the_total_unless_filtered_by_whose_turn(
        committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client) -> None:
    standard = publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    reviews = [begin_review(vcio_api, tam_api) for _ in range(3)]
    client_id, review_id, _ = reviews[0]
    answer(tam_api, client_id, review_id, standard, "no")
    submitted = ok(tam_api.post(f"/clients/{client_id}/reviews/{review_id}/submit", json={}))

    page = ok(vcio_api.get("/reviews/under-way",
                           params={"limit": 2, "wait_for": submitted["position"]}))
    to_rate = ok(vcio_api.get("/reviews/under-way", params={"waiting_for": "to_rate", "limit": 1}))
    to_answer = every_page(lambda p: ok(vcio_api.get(
        "/reviews/under-way", params={**p, "waiting_for": "to_answer"})), 1, lambda turn: None)

    assert (page["count"], page["total"], page["next"] is not None) == (2, 3, True)
    assert ([r["review_id"] for r in to_rate["data"]], to_rate["total"]) == ([review_id], None)
    assert [r["review_id"] for r in to_answer] == [r for _, r, _ in reviews[1:]]
    assert {r["waiting_for"] for r in to_answer} == {"to_answer"}


def test_every_review_due_comes_exactly_once_soonest_first_across_pages(
        committee_api: httpx.Client, vcio_api: httpx.Client, tam_api: httpx.Client) -> None:
    publish_standard(committee_api, "fw-mfa", "firewalls", "high")
    today = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    clients = [str(onboard(vcio_api, name=f"Due {n}")["client_id"]) for n in range(5)]
    head = [schedule_meeting(vcio_api, client_id, (today + timedelta(days=30 + n % 2)).isoformat())
            for n, client_id in enumerate(clients)][-1]["position"]

    first = ok(tam_api.get("/reviews/due-before-meetings", params={"limit": 2, "wait_for": head}))
    rows = every_page(lambda p: ok(tam_api.get("/reviews/due-before-meetings", params=p)), 2,
                      lambda turn: None)

    assert (first["count"], first["total"], first["next"] is not None) == (2, 5, True)
    assert sorted(r["client_id"] for r in rows) == sorted(clients)
    assert [(r["review_by"], r["client_name"]) for r in rows] == sorted(
        (r["review_by"], r["client_name"]) for r in rows)


@pytest.mark.parametrize("path", ["/clients", "/reviews/under-way", "/reviews/due-before-meetings"])
@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzEsMl0", "W10"])
def test_a_cursor_the_list_did_not_give_answers_422_naming_after(
        vcio_api: httpx.Client, cursor: str, path: str) -> None:
    response = vcio_api.get(path, params={"after": cursor})

    assert response.status_code == 422
    assert problem_fields(response) == ["after"]
