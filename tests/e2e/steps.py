"""The arrange steps of the end-to-end tests, each one request a user could send."""

from collections.abc import Callable
from typing import Any

import httpx

Caller = Callable[..., httpx.Client]
LogHead = Callable[[], int]

CLIENT_A = {
    "name": "Acme Dental",
    "mrr": "3000.00",
    "user_count": 24,
    "complexity": 5,
    "industry": "healthcare",
    "fiscal_year_start_month": 1,
    "vcio": "vera.vcio",
    "tam": "tom.tam",
}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The RFC 9457 problem a refused request answers, after checking its status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body: dict[str, Any] = response.json()
    assert (body["status"], body["type"]) == (status, "about:blank")
    return body


def problem_fields(response: httpx.Response) -> list[str]:
    """The fields a problem answer names, in order (its status and shape checked on the way)."""
    return [error["field"] for error in problem(response, response.status_code)["errors"]]


def publish_standard(
    committee: httpx.Client, key: str, category: str, priority: str, expected_answer: str = "yes"
) -> str:
    return str(published(committee, key, category, priority, expected_answer)["standard_id"])


def published(
    committee: httpx.Client, key: str, category: str, priority: str, expected_answer: str = "yes"
) -> dict[str, Any]:
    """The answer to publishing a new standard (its id and the write's log position)."""
    return ok(
        committee.post(
            "/standards",
            json={
                "key": key,
                "category": category,
                "question": f"Is {key} in place?",
                "expected_answer": expected_answer,
                "how_to_check": f"Look at {key}.",
                "why_it_matters": f"Without {key} the client is exposed.",
                "priority": priority,
                "review_frequency": "annual",
                "publish": True,
            },
        ),
        201,
    )


def onboard(vcio: httpx.Client, /, **changes: Any) -> dict[str, Any]:
    return ok(vcio.post("/clients", json={**CLIENT_A, **changes}), 201)


def start_review(tam: httpx.Client, client_id: str) -> str:
    return str(ok(tam.post(f"/clients/{client_id}/reviews", json={}), 201)["review_id"])


def answer(tam: httpx.Client, client_id: str, review_id: str, standard_id: str, value: str) -> dict[str, Any]:
    return ok(
        tam.put(
            f"/clients/{client_id}/reviews/{review_id}/answers/{standard_id}",
            json={"answer": value},
        )
    )


def complete(tam: httpx.Client, client_id: str, review_id: str) -> dict[str, Any]:
    return ok(tam.post(f"/clients/{client_id}/reviews/{review_id}/complete"))


def add_decision_maker(vcio: httpx.Client, client_id: str, name: str = "Dana Owner") -> str:
    body = ok(vcio.post(f"/clients/{client_id}/decision-makers", json={"name": name, "title": "CEO"}), 201)
    return str(body["decision_maker_id"])


def propose(vcio: httpx.Client, client_id: str, title: str, **fields: Any) -> dict[str, Any]:
    return ok(
        vcio.post(
            f"/clients/{client_id}/recommendations", json={"title": title, "owner": "vera.vcio", **fields}
        ),
        201,
    )


def approve(
    vcio: httpx.Client, client_id: str, recommendation_id: str, decision_maker_id: str, **fields: Any
) -> dict[str, Any]:
    path = f"/clients/{client_id}/recommendations/{recommendation_id}"
    ok(vcio.post(f"{path}/present"))
    return ok(vcio.post(f"{path}/approve", json={"decision_maker_id": decision_maker_id, **fields}))


def schedule_meeting(
    vcio: httpx.Client, client_id: str, when: str, kind: str = "technology_business_review"
) -> dict[str, Any]:
    return ok(
        vcio.post(f"/clients/{client_id}/meetings", json={"kind": kind, "scheduled_for": when}),
        201,
    )


def log_touch(vcio: httpx.Client, client_id: str, when: str, **fields: Any) -> dict[str, Any]:
    return ok(
        vcio.post(f"/clients/{client_id}/touches", json={"kind": "call", "happened_at": when, **fields}), 201
    )
