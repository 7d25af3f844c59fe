"""Lists that grow are read a page at a time (``limit``, then ``after`` = the page's ``next``):
each row that was there when paging began comes exactly once, in the list's order, even while
rows are written between pages; a cursor the list did not give answers 422 naming ``after``."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.steps import ok, onboard, problem_fields, publish_standard, published

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


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzEsMl0", "W10"])
def test_a_cursor_the_list_did_not_give_answers_422_naming_after(
        vcio_api: httpx.Client, cursor: str) -> None:
    response = vcio_api.get("/clients", params={"after": cursor})

    assert response.status_code == 422
    assert problem_fields(response) == ["after"]
