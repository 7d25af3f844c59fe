"""Cursor paging, one contract for every list that can grow: a page is ``data`` (in a stable
order), ``count`` (rows on this page), ``next`` (when the page is full: what to pass as ``after``
for the page that follows) and, where cheap, ``total``. A cursor holds the sort key of a page's
last row, so rows written meanwhile never make a later page repeat or skip one already due; it
is opaque to callers (URL-safe base64 of a JSON array).
"""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query

from aggregates.errors import InvalidValueError

AFTER_DESCRIPTION = "Continue after a page: the `next` of the page before."
MAX_CURSOR = 2000

AfterQuery = Annotated[str | None, Query(max_length=MAX_CURSOR, pattern=r"^[A-Za-z0-9_=-]+$",
                                         description=AFTER_DESCRIPTION)]
LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Rows per page.")]


Value = str | int | UUID | datetime | date


def encode_cursor(*values: Value) -> str:
    text = json.dumps([v.isoformat() if isinstance(v, date)
                       else str(v) if isinstance(v, UUID) else v for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def one_value(kind: type, value: object) -> Value:
    if kind is UUID and isinstance(value, str):
        return UUID(value)
    if kind is datetime and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("a moment without its offset")
        return moment
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str) and "\x00" not in value:
        value.encode()  # a lone surrogate ("\ud800" in the JSON) cannot reach the database
        return value
    raise ValueError("a value of the wrong kind")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list[Value]:
    """The values of a cursor made by ``encode_cursor`` with these kinds (str, int, UUID,
    datetime or date);
    anything else is a 422 naming ``after``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("wrong shape")
        return [one_value(kind, value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeError) as error:
        raise InvalidValueError("after", "is not a cursor this list answered as `next`") from error


def next_cursor(rows: Sequence[object], limit: int, *fields: str) -> str | None:
    """The ``next`` of a page: the sort key of its last row when the page is full."""
    if len(rows) < limit:
        return None
    return encode_cursor(*(getattr(rows[-1], name) for name in fields))
