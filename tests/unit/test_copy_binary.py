"""A run of projection rows goes in binary COPY only when every value is stored exactly as it
is in its column's type; anything else keeps the run in text (see projections.copy_binary)."""

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import uuid4

from projections.copy_binary import fits_binary

TYPES = ("uuid", "text", "int4", "int8", "timestamptz", "date", "bool")
WHEN = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def row(**changes: object) -> tuple[object, ...]:
    values: dict[str, object] = {"uuid": uuid4(), "text": "seen on site", "int4": 7,
                                 "int8": 123_456, "timestamptz": WHEN, "date": date(2026, 3, 1),
                                 "bool": True}
    values.update(changes)
    return tuple(values[kind] for kind in TYPES)


def test_rows_of_the_column_types_fit_binary() -> None:
    rows = [row(), row(text="ünïcødé ✓ 𝄞\t\\\n"), row(int8=-(2**63), int4=2**31 - 1)]

    assert fits_binary(rows, TYPES)


def test_nulls_fit_any_column() -> None:
    rows = [row(), tuple(None for _ in TYPES)]

    assert fits_binary(rows, TYPES)


def test_a_column_of_nulls_only_fits() -> None:
    rows = [row(int4=None), row(int4=None)]

    assert fits_binary(rows, TYPES)


def test_a_timestamp_at_another_offset_and_in_year_9999_fits() -> None:
    rows = [row(timestamptz=datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=5)))),
            row(timestamptz=datetime(1, 1, 1, tzinfo=UTC))]

    assert fits_binary(rows, TYPES)


def test_a_nul_in_a_string_keeps_the_run_in_text() -> None:
    rows = [row(), row(text="a\x00b")]

    assert not fits_binary(rows, TYPES)


def test_an_integer_past_its_column_s_range_keeps_the_run_in_text() -> None:
    rows = [row(), row(int4=2**31)]

    assert not fits_binary(rows, TYPES)


def test_an_integer_below_its_column_s_range_keeps_the_run_in_text() -> None:
    rows = [row(int8=-(2**63) - 1), row()]

    assert not fits_binary(rows, TYPES)


def test_a_bool_in_an_integer_column_keeps_the_run_in_text() -> None:
    rows = [row(), row(int4=True)]

    assert not fits_binary(rows, TYPES)


def test_a_string_in_a_uuid_column_keeps_the_run_in_text() -> None:
    rows = [row(), row(uuid=str(uuid4()))]

    assert not fits_binary(rows, TYPES)


def test_a_naive_timestamp_keeps_the_run_in_text() -> None:
    rows = [row(), row(timestamptz=datetime(2026, 3, 1, 12, 30))]

    assert not fits_binary(rows, TYPES)


def test_a_datetime_in_a_date_column_keeps_the_run_in_text() -> None:
    rows = [row(), row(date=WHEN)]

    assert not fits_binary(rows, TYPES)


def test_a_string_subclass_keeps_the_run_in_text() -> None:
    class Label(str):
        pass

    rows = [row(), row(text=Label("answered"))]

    assert not fits_binary(rows, TYPES)
