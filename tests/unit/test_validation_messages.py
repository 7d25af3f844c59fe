"""Refused input is explained in our words ("must be a whole number"), never pydantic's
("Input should be a valid integer, unable to parse string as an integer"), and every problem
still names its field."""

import json
from datetime import date, datetime
from typing import Literal
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.errors import install_error_handlers
from api.rendering import build_templates
from commands.messages import reason
from commands.types import Money, Text
from streaming.inbound import RejectedError, interpret


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int = 0
    answer: Literal["yes", "no"] = "yes"
    client_id: UUID | None = None
    day: date | None = None
    moment: datetime | None = None
    name: str = Field(default="x", min_length=1, max_length=5)
    tags: list[int] = Field(default_factory=list, max_length=2)
    share: int = Field(default=1, ge=1, le=10)
    amount: Money | None = None
    title: Text | None = None


CASES = [
    ({"count": "abc"}, "must be a whole number, such as 42"),
    ({"count": 1.5}, "must be a whole number, such as 42"),
    ({"answer": "maybe"}, "must be one of 'yes' or 'no'"),
    ({"client_id": "q"}, "must be an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)"),
    ({"day": "2026-13-01"}, "must be a date written YYYY-MM-DD"),
    ({"moment": "soon"}, "must be a date and time written YYYY-MM-DDTHH:MM:SS with an offset (Z or +02:00)"),
    ({"name": ""}, "must not be empty"),
    ({"name": "abcdefg"}, "must be at most 5 characters long"),
    ({"tags": [1, 2, 3]}, "must hold at most 2 items"),
    ({"share": 0}, "must be at least 1"),
    ({"share": 11}, "must be at most 10"),
    ({"extra": 1}, "is not a field of this request"),
    ({"amount": True}, "must be an amount, not true or false"),
    ({"title": "a\u0000b"}, "must not contain control characters (found U+0000)"),
]


def only_reason(values: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as raised:
        Sample.model_validate(values)
    [error] = raised.value.errors()
    return reason(error)


@pytest.mark.parametrize(("values", "expected"), CASES, ids=[next(iter(v)) + str(i) for i, (v, _) in
                                                            enumerate(CASES)])
def test_each_kind_of_bad_value_is_explained_in_our_words(values: dict[str, object], expected: str) -> None:
    assert only_reason(values) == expected


def test_a_missing_field_is_required() -> None:
    class Needs(BaseModel):
        name: str

    with pytest.raises(ValidationError) as raised:
        Needs.model_validate({})

    assert reason(raised.value.errors()[0]) == "is required"


def test_no_reason_keeps_the_prefix_pydantic_puts_on_our_own_checks() -> None:
    assert not only_reason({"amount": "1,5"}).startswith("Value error")


@pytest.fixture(scope="module")
def api() -> TestClient:
    app = FastAPI()
    app.state.templates = build_templates()
    install_error_handlers(app)

    @app.post("/samples")
    def create(sample: Sample, limit: int = Query(default=1, le=100)) -> Sample:
        return sample

    return TestClient(app, raise_server_exceptions=False)


def test_a_problem_names_each_field_with_its_reason_in_our_words(api: TestClient) -> None:
    response = api.post("/samples", params={"limit": "many"}, json={"count": "abc", "answer": "maybe"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.limit", "reason": "must be a whole number, such as 42"},
        {"field": "body.count", "reason": "must be a whole number, such as 42"},
        {"field": "body.answer", "reason": "must be one of 'yes' or 'no'"},
    ]


def test_an_inbound_message_is_dead_lettered_with_the_reason_in_our_words() -> None:
    message = {"id": "m-1", "type": "review.answer.record", "tenant": "msp", "actor": "rmm",
               "payload": {"client_id": str(uuid4()), "review_id": str(uuid4()),
                           "standard_id": str(uuid4()), "answer": "maybe"}}

    with pytest.raises(RejectedError) as rejected:
        interpret(json.dumps(message).encode())

    assert rejected.value.reason == ("invalid payload for review.answer.record: answer: must be one of"
                                     " 'yes', 'no' or 'not_applicable'")
