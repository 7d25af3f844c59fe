"""A list's `after` cursor: what a page gave comes back as the same sort key; anything else is a
refusal naming `after`, never a value that could break the query."""

import base64
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from aggregates.errors import InvalidValueError
from api.paging import decode_cursor, encode_cursor
from tests.unit.client_steps import refusal

KINDS = [str, int, UUID, datetime]


def raw_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_cursor_gives_back_the_sort_key_it_was_made_from() -> None:
    key = ["ac-14", 7, uuid4(), datetime(2027, 3, 1, 9, tzinfo=UTC)]

    assert decode_cursor(encode_cursor(*key), KINDS) == key


@pytest.mark.parametrize("text", [
    '["a\\u0000b", 1, "00000000-0000-0000-0000-000000000000", "2027-03-01T09:00:00+00:00"]',
    '["\\ud800", 1, "00000000-0000-0000-0000-000000000000", "2027-03-01T09:00:00+00:00"]',
    '["a", true, "00000000-0000-0000-0000-000000000000", "2027-03-01T09:00:00+00:00"]',
    '["a", 1, "not-a-uuid", "2027-03-01T09:00:00+00:00"]',
    '["a", 1, "00000000-0000-0000-0000-000000000000", "2027-03-01T09:00:00"]',
    '["a", 1]',
    '{"a": 1}',
])
def test_a_cursor_no_page_gave_is_refused_naming_after(text: str) -> None:
    field, reason = refusal(InvalidValueError, lambda: decode_cursor(raw_cursor(text), KINDS))

    assert (field, reason) == ("after", "is not a cursor this list answered as `next`")
