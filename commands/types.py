"""The constrained value types every command field is made of.

A command is recorded into an immutable log and then written into read models whose columns
have limits of their own: PostgreSQL ``text`` and ``jsonb`` cannot hold NUL, ``integer`` and
``bigint`` overflow, and date arithmetic in the read models overflows near year 9999. So the
limits are stated once, here, and a value outside them is a 422 naming the field before
anything is recorded. The same types reach the OpenAPI (API bodies derive from commands), with
the control-character rule as a ``pattern`` and the ranges as ``minimum`` / ``maximum``.

- Text: one line (no control characters), stripped, 1-200 characters; ``OptionalText`` may be
  empty; ``LongText`` / ``OptionalLongText`` allow newline and tab (CR LF becomes LF), 4000.
- Integers refuse ``true`` / ``false``; counts are bounded to what a read model stores.
- Money is a non-negative amount with at most 2 decimals, given as a number or a plain decimal
  string (``" 5 "``, ``"1e3"`` and ``"NaN"`` are refused).
- Dates and datetimes lie in 1900-01-01 .. 2200-12-31 (a datetime once converted to UTC);
  numbers are not dates, and a datetime must carry its offset.
- Booleans are ``true`` / ``false`` (or the strings "true" / "false" of a form), never 0 / 1.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    TypeAdapter,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
FIRST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
END_MOMENT = datetime(2201, 1, 1, tzinfo=UTC)
PG_INTEGER_MAX = 2_147_483_647
MAX_USER_COUNT = 1_000_000

# C0 and C1 control characters, DEL, and lone surrogates (not encodable as UTF-8).
_CONTROL = "\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff"
_LONG_CONTROL = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff"
_LINE_FORBIDDEN = re.compile(f"[{_CONTROL}]")
_LONG_FORBIDDEN = re.compile(f"[{_LONG_CONTROL}]")
LINE_PATTERN = f"^[^{_CONTROL}]*$"
REQUIRED_LINE_PATTERN = f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$"
LONG_PATTERN = f"^[^{_LONG_CONTROL}]*$"
REQUIRED_LONG_PATTERN = f"^[^{_LONG_CONTROL}]*[^\\s{_LONG_CONTROL}][^{_LONG_CONTROL}]*$"
_PLAIN_DECIMAL = re.compile(r"-?\d{1,20}(\.\d{1,20})?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Documented:
    """Adds keywords to a type's JSON schema (the rule itself is enforced by a validator)."""

    keywords: tuple[tuple[str, Any], ...]

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(dict(self.keywords))
        return schema


def _forbidden(value: str, pattern: re.Pattern[str], allowed: str) -> str:
    found = pattern.search(value)
    if found is not None:
        raise ValueError(f"must not contain control characters{allowed} (found U+{ord(found.group()):04X})")
    return value


def single_line(value: str) -> str:
    return _forbidden(value, _LINE_FORBIDDEN, "")


def multi_line(value: str) -> str:
    """Newlines as LF (a browser's form sends CR LF), and no other control character but tab."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _forbidden(value, _LONG_FORBIDDEN, " other than newline and tab")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                 AfterValidator(single_line), Documented((("pattern", REQUIRED_LINE_PATTERN),))]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                         AfterValidator(single_line), Documented((("pattern", LINE_PATTERN),))]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                AfterValidator(single_line), Documented((("pattern", REQUIRED_LINE_PATTERN),))]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
                     AfterValidator(single_line), Documented((("pattern", REQUIRED_LINE_PATTERN),))]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40),
                  AfterValidator(single_line), Documented((("pattern", LINE_PATTERN),))]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
                     AfterValidator(multi_line), Documented((("pattern", REQUIRED_LONG_PATTERN),))]
OptionalLongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000),
                             AfterValidator(multi_line), Documented((("pattern", LONG_PATTERN),))]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
                   AfterValidator(multi_line), Documented((("pattern", REQUIRED_LONG_PATTERN),))]
OptionalReason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000),
                           AfterValidator(multi_line), Documented((("pattern", LONG_PATTERN),))]


def not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


Integer = Annotated[int, Field(ge=-PG_INTEGER_MAX, le=PG_INTEGER_MAX), BeforeValidator(not_a_bool)]
UserCount = Annotated[int, Field(ge=0, le=MAX_USER_COUNT), BeforeValidator(not_a_bool)]
Complexity = Annotated[int, Field(ge=1, le=10), BeforeValidator(not_a_bool)]
Month = Annotated[int, Field(ge=1, le=12), BeforeValidator(not_a_bool)]
Version = Annotated[int, Field(ge=1, le=PG_INTEGER_MAX), BeforeValidator(not_a_bool)]


def plain_amount(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an amount, not true or false")
    if isinstance(value, str) and not _PLAIN_DECIMAL.fullmatch(value):
        raise ValueError("must be a plain decimal number such as 1250.50")
    return value


Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False),
                  BeforeValidator(plain_amount)]
Hours = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2, allow_inf_nan=False),
                  BeforeValidator(plain_amount)]


def iso_day(value: Any) -> Any:
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError("must be a date (YYYY-MM-DD), not a number")
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def iso_moment(value: Any) -> Any:
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError("must be a date and time with its offset, not a number")
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("must be a date and time written YYYY-MM-DDTHH:MM:SS with an offset")
    return value


def day_in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return value


def moment_in_range(value: datetime) -> datetime:
    # Checked on the year first: converting year 9999 at -14:00 to UTC overflows.
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year or not (
            FIRST_MOMENT <= value.astimezone(UTC) < END_MOMENT):
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY} (in UTC)")
    return value


Day = Annotated[date, BeforeValidator(iso_day), AfterValidator(day_in_range),
                Documented((("description", f"A date from {FIRST_DAY} to {LAST_DAY}."),))]
Moment = Annotated[AwareDatetime, BeforeValidator(iso_moment), AfterValidator(moment_in_range),
                   Documented((("description", f"A date and time with offset, from {FIRST_DAY} to "
                                                f"{LAST_DAY} in UTC."),))]


def strict_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError("must be true or false")


Flag = Annotated[bool, BeforeValidator(strict_flag)]


def json_plain(fields: Any) -> Callable[[Any], Any]:
    """For a partial update (a ``TypedDict`` of the fields it may name): refuse an empty one,
    and hand the validated values on JSON-plain (amounts and dates as text, enums as values),
    the form the aggregates record."""
    adapter: TypeAdapter[Any] = TypeAdapter(fields)

    def plain(value: Any) -> Any:
        if not value:
            raise ValueError("must name at least one field to change")
        return adapter.dump_python(value, mode="json")

    return plain
