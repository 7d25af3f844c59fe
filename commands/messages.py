"""Why an input was refused, in our words: one reason per pydantic error, written the way our
own checks (``commands/types.py``) word theirs ("must be a whole number"), so every boundary
(the API's problems, the command line, the Kafka inbound) tells a user what to send instead.

An error type not listed keeps pydantic's message; a check of ours (a ``ValueError`` raised in
a validator) keeps its message without pydantic's "Value error, " prefix.
"""

from collections.abc import Callable, Mapping
from typing import Any

Reason = Callable[[Mapping[str, Any]], str]


def fixed(text: str) -> Reason:
    return lambda ctx: text


def length(kind: str, unit: str) -> Reason:
    def reason(ctx: Mapping[str, Any]) -> str:
        limit = ctx.get("min_length" if kind == "at least" else "max_length")
        if kind == "at least" and limit == 1:
            return "must not be empty"
        return f"must be {kind} {limit} {unit}{'' if limit == 1 else 's'} long"
    return reason


def items(kind: str) -> Reason:
    def reason(ctx: Mapping[str, Any]) -> str:
        limit = ctx.get("min_length" if kind == "at least" else "max_length")
        return f"must hold {kind} {limit} item{'' if limit == 1 else 's'}"
    return reason


WHOLE_NUMBER = fixed("must be a whole number, such as 42")
NUMBER = fixed("must be a number, such as 1250.50")
DATE = fixed("must be a date written YYYY-MM-DD")
DATETIME = fixed("must be a date and time written YYYY-MM-DDTHH:MM:SS with an offset (Z or +02:00)")
OBJECT = fixed("must be an object ({...})")

REASONS: dict[str, Reason] = {
    "missing": fixed("is required"),
    "extra_forbidden": fixed("is not a field of this request"),
    "int_type": WHOLE_NUMBER, "int_parsing": WHOLE_NUMBER, "int_from_float": WHOLE_NUMBER,
    "int_parsing_size": fixed("is too large a number"),
    "float_type": NUMBER, "float_parsing": NUMBER, "decimal_type": NUMBER, "decimal_parsing": NUMBER,
    "finite_number": fixed("must be a finite number"),
    "decimal_max_places": lambda ctx: f"must have at most {ctx.get('decimal_places')} decimal places",
    "decimal_max_digits": lambda ctx: f"must have at most {ctx.get('max_digits')} digits",
    "decimal_whole_digits": lambda ctx: f"must have at most {ctx.get('whole_digits')} digits"
                                        " before the decimal point",
    "bool_type": fixed("must be true or false"), "bool_parsing": fixed("must be true or false"),
    "string_type": fixed("must be text"),
    "string_too_short": length("at least", "character"),
    "string_too_long": length("at most", "character"),
    "string_pattern_mismatch": lambda ctx: f"is not in the expected form (pattern {ctx.get('pattern')})",
    "greater_than_equal": lambda ctx: f"must be at least {ctx.get('ge')}",
    "greater_than": lambda ctx: f"must be more than {ctx.get('gt')}",
    "less_than_equal": lambda ctx: f"must be at most {ctx.get('le')}",
    "less_than": lambda ctx: f"must be less than {ctx.get('lt')}",
    "too_short": items("at least"), "too_long": items("at most"),
    "list_type": fixed("must be a list ([...])"),
    "dict_type": OBJECT, "model_type": OBJECT, "model_attributes_type": OBJECT,
    "enum": lambda ctx: f"must be one of {ctx.get('expected')}",
    "literal_error": lambda ctx: f"must be one of {ctx.get('expected')}",
    "uuid_type": fixed("must be an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)"),
    "uuid_parsing": fixed("must be an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)"),
    "date_type": DATE, "date_parsing": DATE, "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": fixed("must be a date without a time of day"),
    "datetime_type": DATETIME, "datetime_parsing": DATETIME, "datetime_from_date_parsing": DATETIME,
    "timezone_aware": fixed("must carry its offset from UTC (Z or +02:00)"),
    "time_type": fixed("must be a time of day written HH:MM"),
    "time_parsing": fixed("must be a time of day written HH:MM"),
}

CHECK_PREFIXES = ("Value error, ", "Assertion failed, ")


def reason(error: Mapping[str, Any]) -> str:
    """The reason for one pydantic error (an item of ``ValidationError.errors()``)."""
    found = REASONS.get(str(error.get("type")))
    if found is not None:
        return found(error.get("ctx") or {})
    message = str(error.get("msg", "is invalid"))
    for prefix in CHECK_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix):]
    return message
