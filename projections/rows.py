"""Typed helpers for reading single rows from a cursor.

A query that must find a row raises a clear :class:`LookupError` naming what was looked for
when it finds none, instead of failing later with ``'NoneType' object is not subscriptable``.
"""

from typing import Any

from psycopg import Cursor


def fetch_row(cur: Cursor[Any], what: str) -> tuple[Any, ...]:
    """The next row of ``cur`` (a tuple row); raises LookupError naming ``what`` when there is none."""
    row: tuple[Any, ...] | None = cur.fetchone()
    if row is None:
        raise LookupError(f"no row found for {what}")
    return row


def fetch_value(cur: Cursor[Any], what: str) -> Any:
    """The first column of the next row of ``cur``; raises LookupError when there is none."""
    return fetch_row(cur, what)[0]
