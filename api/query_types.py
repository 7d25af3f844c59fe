"""Types for query parameters, with the same limits as command fields.

A query value reaches SQL (a filter) or date arithmetic (a period, a fiscal quarter): text
without control characters (PostgreSQL text cannot hold NUL) and dates in 1900-2200, so a bad
value is a 422 naming the parameter instead of a 500.
"""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from commands.types import LINE_PATTERN, Day, Documented, Moment, OptionalReason, Reason, single_line

QueryText = Annotated[str, StringConstraints(max_length=200), AfterValidator(single_line),
                      Documented((("pattern", LINE_PATTERN),))]
QueryDay = Day
QueryMoment = Moment
QueryReason = Reason
OptionalQueryReason = OptionalReason

__all__ = ["OptionalQueryReason", "QueryDay", "QueryMoment", "QueryReason", "QueryText"]
