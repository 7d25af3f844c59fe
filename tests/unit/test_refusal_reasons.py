"""How one pydantic error becomes a reason in our words, rule by rule: lengths with their unit
and plural, item counts, our own checks without pydantic's prefix, and unknown errors kept."""

import pytest

from commands.messages import items, length, reason


@pytest.mark.parametrize(("kind", "ctx", "expected"), [
    ("at least", {"min_length": 1}, "must not be empty"),
    ("at least", {"min_length": 3}, "must be at least 3 characters long"),
    ("at most", {"max_length": 1}, "must be at most 1 character long"),
    ("at most", {"max_length": 200, "min_length": 1}, "must be at most 200 characters long"),
])
def test_a_length_is_explained_with_its_limit_and_unit(kind: str, ctx: dict[str, int], expected: str) -> None:
    assert length(kind, "character")(ctx) == expected


@pytest.mark.parametrize(("kind", "ctx", "expected"), [
    ("at least", {"min_length": 1, "max_length": 9}, "must hold at least 1 item"),
    ("at least", {"min_length": 2}, "must hold at least 2 items"),
    ("at most", {"max_length": 1, "min_length": 0}, "must hold at most 1 item"),
    ("at most", {"max_length": 50}, "must hold at most 50 items"),
])
def test_an_item_count_is_explained_with_its_limit(kind: str, ctx: dict[str, int], expected: str) -> None:
    assert items(kind)(ctx) == expected


@pytest.mark.parametrize(("error", "expected"), [
    ({"type": "greater_than_equal", "ctx": {"ge": 1}, "msg": "x"}, "must be at least 1"),
    ({"type": "missing", "msg": "Field required"}, "is required"),
    ({"type": "string_too_short", "ctx": {"min_length": 2}}, "must be at least 2 characters long"),
    ({"type": "value_error", "msg": "Value error, must be true or false"}, "must be true or false"),
    ({"type": "assertion_error", "msg": "Assertion failed, rows overlap"}, "rows overlap"),
    ({"type": "url_parsing", "msg": "Input should be a valid URL"}, "Input should be a valid URL"),
    ({"type": "url_parsing"}, "is invalid"),
])
def test_an_error_is_explained_by_its_type_else_by_its_message_without_our_checks_prefix(
        error: dict[str, object], expected: str) -> None:
    assert reason(error) == expected
