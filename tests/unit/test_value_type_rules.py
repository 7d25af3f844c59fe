"""The checks behind the command value types, one by one: control characters, numbers that are
booleans, plain amounts, ISO days and moments, the supported calendar range, strict flags,
partial updates, and the patterns and descriptions the OpenAPI shows."""

import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from commands.types import (
    Category,
    Day,
    Integer,
    Key,
    LongText,
    Moment,
    OptionalLongText,
    OptionalReason,
    OptionalText,
    Phone,
    Reason,
    Text,
    UserCount,
    day_in_range,
    iso_day,
    iso_moment,
    json_plain,
    moment_in_range,
    multi_line,
    not_a_bool,
    plain_amount,
    single_line,
    strict_flag,
)


@pytest.mark.parametrize("char", ["\x00", "\x09", "\x0a", "\x1f", "\x7f", "\x80", "\x9f", "\ud800", "\udfff"])
def test_a_single_line_refuses_every_control_character_naming_it(char: str) -> None:
    message = rf"^must not contain control characters \(found U\+{ord(char):04X}\)$"

    with pytest.raises(ValueError, match=message):
        single_line(f"a{char}b")


@pytest.mark.parametrize("text", ["plain", "XX Xenon", "caf\u00e9 \u00a0 \u20ac", " \x20~"])
def test_a_single_line_accepts_printable_text(text: str) -> None:
    assert single_line(text) == text


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x9f", "\ud800"])
def test_multi_line_text_refuses_other_control_characters_naming_them(char: str) -> None:
    with pytest.raises(ValueError, match=rf"^must not contain control characters other than newline and tab"
                                         rf" \(found U\+{ord(char):04X}\)$"):
        multi_line(f"a{char}b")


def test_multi_line_text_writes_cr_lf_and_a_lone_cr_as_lf_and_keeps_tabs() -> None:
    assert multi_line("X one\r\ntwo\rthree\tfour\n") == "X one\ntwo\nthree\tfour\n"


def test_a_number_that_is_a_boolean_is_refused_and_a_number_passes() -> None:
    with pytest.raises(ValueError, match="^must be a number, not true or false$"):
        not_a_bool(True)
    assert not_a_bool(0) == 0


@pytest.mark.parametrize(("value", "message"), [
    (False, "must be an amount, not true or false"),
    ("1e3", "must be a plain decimal number such as 1250.50"),
    ("1.", "must be a plain decimal number such as 1250.50"),
    (" 5", "must be a plain decimal number such as 1250.50"),
    ("1" * 21, "must be a plain decimal number such as 1250.50"),
    ("1." + "0" * 21, "must be a plain decimal number such as 1250.50"),
])
def test_an_amount_that_is_not_a_plain_decimal_is_refused_saying_so(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        plain_amount(value)


@pytest.mark.parametrize("value", ["1250.50", "-5", "1" * 20, "0." + "5" * 20, 12, Decimal("3.5")])
def test_a_plain_amount_passes_on_unchanged(value: Any) -> None:
    assert plain_amount(value) == value


NOT_A_DAY = "must be a date (YYYY-MM-DD), not a number"


@pytest.mark.parametrize(("value", "message"), [
    (20250101, NOT_A_DAY), (True, NOT_A_DAY), (1.5, NOT_A_DAY), (Decimal(1), NOT_A_DAY),
    ("2025-1-01", "must be a date written YYYY-MM-DD"),
    ("2025-01-01T00:00", "must be a date written YYYY-MM-DD")])
def test_a_day_that_is_a_number_or_not_written_yyyy_mm_dd_is_refused_saying_so(
        value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        iso_day(value)


@pytest.mark.parametrize("value", ["2025-01-31", date(2025, 1, 31)])
def test_a_day_written_yyyy_mm_dd_or_given_as_a_date_passes(value: Any) -> None:
    assert iso_day(value) == value


@pytest.mark.parametrize(("value", "message"), [
    (1_700_000_000, "must be a date and time with its offset, not a number"),
    (False, "must be a date and time with its offset, not a number"),
    (Decimal("1.5"), "must be a date and time with its offset, not a number"),
    (2.5, "must be a date and time with its offset, not a number"),
    ("09:00 2025-01-01", "must be a date and time written YYYY-MM-DDTHH:MM:SS with an offset")])
def test_a_moment_that_is_a_number_or_not_starting_with_a_day_is_refused_saying_so(
        value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        iso_moment(value)


def test_a_moment_starting_with_a_day_passes_on_to_the_datetime_parser() -> None:
    assert iso_moment("2025-01-01T09:00:00Z") == "2025-01-01T09:00:00Z"


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(2200, 12, 31)])
def test_days_from_1900_to_2200_are_accepted(day: date) -> None:
    assert day_in_range(day) == day


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(2201, 1, 1)])
def test_days_outside_1900_to_2200_are_refused_naming_the_range(day: date) -> None:
    with pytest.raises(ValueError, match="^must lie between 1900-01-01 and 2200-12-31$"):
        day_in_range(day)


PLUS_TWO, MINUS_TWO = timezone(timedelta(hours=2)), timezone(timedelta(hours=-2))


@pytest.mark.parametrize("moment", [
    datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(1900, 1, 1, 3, tzinfo=PLUS_TWO), datetime(2200, 12, 31, 21, tzinfo=MINUS_TWO)])
def test_moments_from_1900_to_the_end_of_2200_in_utc_are_accepted(moment: datetime) -> None:
    assert moment_in_range(moment) == moment


@pytest.mark.parametrize("moment", [
    datetime(2201, 1, 1, tzinfo=UTC), datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
    datetime(1900, 1, 1, 1, tzinfo=PLUS_TWO), datetime(2200, 12, 31, 23, tzinfo=MINUS_TWO),
    datetime(1899, 12, 31, 23, tzinfo=MINUS_TWO), datetime(9999, 12, 31, 23, tzinfo=MINUS_TWO),
    datetime(2201, 1, 1, 1, tzinfo=PLUS_TWO)])
def test_moments_outside_1900_to_2200_in_utc_are_refused(moment: datetime) -> None:
    with pytest.raises(ValueError, match=r"^must lie between 1900-01-01 and 2200-12-31 \(in UTC\)$"):
        moment_in_range(moment)


@pytest.mark.parametrize(("value", "flag"), [(True, True), (False, False), ("TRUE", True), ("false", False),
                                             ("True", True)])
def test_a_flag_is_a_boolean_or_the_word_true_or_false(value: Any, flag: bool) -> None:
    assert strict_flag(value) is flag


@pytest.mark.parametrize("value", [1, 0, "yes", "", None])
def test_anything_else_is_not_a_flag(value: Any) -> None:
    with pytest.raises(ValueError, match="^must be true or false$"):
        strict_flag(value)


class Colour(Enum):
    RED = "red"


class Fields(TypedDict, total=False):
    day: date
    amount: Decimal
    colour: Colour


def test_a_partial_update_is_handed_on_json_plain() -> None:
    plain = json_plain(Fields)

    assert plain({"day": date(2025, 3, 1), "amount": Decimal("12.50"), "colour": Colour.RED}) == {
        "day": "2025-03-01", "amount": "12.50", "colour": "red"}


def test_a_partial_update_is_dumped_by_its_fields_types_without_a_serialisation_warning() -> None:
    plain = json_plain(Fields)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = plain({"amount": Decimal("1.5")})

    assert dumped == {"amount": "1.5"}


def test_a_partial_update_naming_no_field_is_refused() -> None:
    with pytest.raises(ValueError, match="^must name at least one field to change$"):
        json_plain(Fields)({})


def schema(kind: Any) -> dict[str, Any]:
    return TypeAdapter(kind).json_schema()


@pytest.mark.parametrize("kind", [Text, Key, Category])
def test_a_required_line_is_described_by_a_pattern_refusing_blank_and_control_characters(kind: Any) -> None:
    pattern = schema(kind)["pattern"]

    assert [bool(re.search(pattern, s)) for s in ("Acme", " a ", "   ", "", "a\x00", "a\nb", "\x9f")] == [
        True, True, False, False, False, False, False]


@pytest.mark.parametrize("kind", [OptionalText, Phone])
def test_an_optional_line_is_described_by_a_pattern_allowing_empty_but_no_control_character(
        kind: Any) -> None:
    pattern = schema(kind)["pattern"]

    assert [bool(re.search(pattern, s)) for s in ("Acme", "", "   ", "a\x7f", "a\tb")] == [
        True, True, True, False, False]


@pytest.mark.parametrize("kind", [LongText, Reason])
def test_required_long_text_is_described_by_a_pattern_allowing_newline_and_tab(kind: Any) -> None:
    pattern = schema(kind)["pattern"]

    assert [bool(re.search(pattern, s)) for s in ("a\nb\tc", " \n x", " \n\t", "a\x0bb", "a\x08")] == [
        True, True, False, False, False]


@pytest.mark.parametrize("kind", [OptionalLongText, OptionalReason])
def test_optional_long_text_is_described_by_a_pattern_allowing_empty_newline_and_tab(kind: Any) -> None:
    pattern = schema(kind)["pattern"]

    assert [bool(re.search(pattern, s)) for s in ("", "a\nb\tc", " \n\t", "a\x0cb")] == [
        True, True, True, False]


def test_days_and_moments_are_described_with_their_range() -> None:
    assert (schema(Day)["description"], schema(Moment)["description"]) == (
        "A date from 1900-01-01 to 2200-12-31.",
        "A date and time with offset, from 1900-01-01 to 2200-12-31 in UTC.")


@pytest.mark.parametrize(("kind", "low", "high"), [(Integer, -2_147_483_647, 2_147_483_647),
                                                   (UserCount, 0, 1_000_000)])
def test_integers_up_to_what_a_read_model_stores_are_accepted(kind: Any, low: int, high: int) -> None:
    adapter = TypeAdapter(kind)

    assert (adapter.validate_python(low), adapter.validate_python(high)) == (low, high)


@pytest.mark.parametrize(("kind", "outside"), [(Integer, -2_147_483_648), (Integer, 2_147_483_648),
                                               (UserCount, -1), (UserCount, 1_000_001)])
def test_integers_beyond_what_a_read_model_stores_are_refused(kind: Any, outside: int) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(kind).validate_python(outside)
