"""Runs of projection rows as binary ``COPY``, when every value is of the kind it is stored as.

A run of rows for an append-only table goes in by ``COPY`` (:class:`~projections.write_behind.
RowsInserter`). In text format psycopg formats each value as text (a uuid in Python, a
timestamp as an ISO string the server parses again): about 4.7 us a row of the answer
history's 15 columns, measured here. In binary format, given the column types, its C formatter
packs the same row in about 0.7-1.3 us, and the server reads fixed-size fields instead of
parsing text. The types are the server's, looked up once per table of a generation
(:class:`TableTypes`). (Packing the binary rows by hand with ``struct``, as
:mod:`runtime.copy_rows` does for the events table, was measured at 3.1-3.6 us a row of the
same 15 columns: a Python call per value costs more than psycopg's C loop, whose bytes were
the same.)

Binary format needs each value to be exactly what its column holds, where text lets the
server convert (a string into a uuid column, say) and refuse what does not fit with its own
message. So a run goes in binary only when every value fits its column by the rules below
(``None`` always fits); otherwise the whole run is written in text, exactly as before, so a
poison value (a NUL in a string, an integer out of the column's range, a naive timestamp, a
string where a uuid is due) is refused, or converted, just as it always was:

- uuid: a ``UUID``; text and varchar: a ``str`` without NUL; int2/int4/int8: an ``int`` (not
  a bool) inside the column's range; bool: a ``bool``; timestamptz: a timezone-aware
  ``datetime``; date: a ``date`` (not a datetime).

Any other column type (numeric, jsonb, arrays, ...) keeps its table in text format.
"""

from collections.abc import Sequence
from datetime import date, datetime
from operator import attrgetter
from typing import Any
from uuid import UUID

from psycopg import Cursor

NoneType = type(None)
#: The Python types a column of each PostgreSQL type takes in binary format (None: NULL).
KINDS: dict[str, frozenset[type]] = {
    "uuid": frozenset({UUID, NoneType}),
    "text": frozenset({str, NoneType}),
    "varchar": frozenset({str, NoneType}),
    "int2": frozenset({int, NoneType}),
    "int4": frozenset({int, NoneType}),
    "int8": frozenset({int, NoneType}),
    "bool": frozenset({bool, NoneType}),
    "timestamptz": frozenset({datetime, NoneType}),
    "date": frozenset({date, NoneType}),
}
#: Exclusive bound of the magnitude of each integer type (its minimum is ``-bound``).
INT_BOUNDS = {"int2": 2**15, "int4": 2**31, "int8": 2**63}
TEXTS = frozenset({"text", "varchar"})
_TZINFO = attrgetter("tzinfo")

COLUMN_TYPES_SQL = (
    "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
    " WHERE a.attrelid = to_regclass(quote_ident(%s)) AND a.attnum > 0 AND NOT a.attisdropped")


class TableTypes:
    """The column types of one generation's tables, each table looked up once (a
    generation's tables never change shape: a new shape is a new generation)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, tuple[str, ...]], tuple[str, ...] | None] = {}

    def binary(self, cur: Cursor[Any], table: str, columns: tuple[str, ...]) -> tuple[str, ...] | None:
        """The type names of ``columns`` of ``table`` (as the search path finds it), or None
        when any of them has no binary packing here (the table is then written in text)."""
        key = (table, columns)
        if key not in self._found:
            cur.execute(COLUMN_TYPES_SQL, (table,))
            types = {str(name): str(kind) for name, kind in cur.fetchall()}
            named = tuple(types.get(column, "") for column in columns)
            self._found[key] = named if all(kind in KINDS for kind in named) else None
        return self._found[key]


def fits_binary(rows: Sequence[Sequence[Any]], types: Sequence[str]) -> bool:
    """Whether every value of ``rows`` is stored exactly as it is by binary format in the
    column of its type (see the module's text); columns are checked whole, in C loops."""
    for column, kind in zip(zip(*rows, strict=True), types, strict=True):
        kinds = set(map(type, column))
        if not kinds <= KINDS[kind]:
            return False
        values: Sequence[Any] = column
        if NoneType in kinds:
            values = [value for value in column if value is not None]
            if not values:
                continue
        if kind in TEXTS:
            if "\x00" in "".join(values):
                return False
        elif kind in INT_BOUNDS:
            bound = INT_BOUNDS[kind]
            if min(values) < -bound or max(values) >= bound:
                return False
        elif kind == "timestamptz" and None in set(map(_TZINFO, values)):
            return False
    return True
