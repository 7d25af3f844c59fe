"""The value types every command field is made of: what they accept, what they refuse, and
that a refusal names the field."""

import uuid
from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from commands.clients import ChangeClientProfile, OnboardClient
from commands.standards import ReviseStandard
from commands.types import Day, Flag, LongText, Moment, Text, UserCount
from projections.fiscal import add_months

ONBOARD = {"name": "Acme", "mrr": "3000.00", "user_count": 24, "complexity": 5, "industry": "legal",
           "vcio": "vera.vcio", "tam": "tom.tam"}


class Sample(BaseModel):
    text: Text = "x"
    long: LongText = "x"
    users: UserCount = 0
    day: Day | None = None
    moment: Moment | None = None
    flag: Flag = False


def refused_fields(**values: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Sample(**values)  # type: ignore[arg-type]
    return [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()]


@pytest.mark.parametrize("values", [
    {"text": "a\x00b"}, {"text": "two\nlines"}, {"text": "   "}, {"text": "x" * 201},
    {"long": "bell\x07"}, {"long": "   "}, {"users": 1_000_001}, {"users": True}, {"day": "0001-01-01"},
    {"day": "2201-01-01"}, {"day": 20250101}, {"moment": "2200-12-31T23:59:59-14:00"},
    {"moment": "2025-01-01T09:00:00"}, {"moment": 1_700_000_000}, {"flag": 1}, {"flag": "yes"},
], ids=str)
def test_a_value_outside_its_type_is_refused_naming_the_field(values: dict[str, object]) -> None:
    assert refused_fields(**values) == list(values)


def test_long_text_keeps_newlines_and_tabs_and_writes_crlf_as_lf() -> None:
    assert Sample(long="first\r\n\tsecond").long == "first\n\tsecond"


def test_text_is_stripped() -> None:
    assert Sample(text="  Acme Dental ").text == "Acme Dental"


def test_the_first_and_last_supported_days_are_accepted() -> None:
    assert (Sample(day="1900-01-01").day, Sample(day="2200-12-31").day) == (date(1900, 1, 1),
                                                                          date(2200, 12, 31))


@pytest.mark.parametrize("mrr", [" 5 ", "1e3", "NaN", True, "-5"], ids=str)
def test_an_amount_that_is_not_a_plain_non_negative_decimal_is_refused(mrr: object) -> None:
    with pytest.raises(ValidationError) as caught:
        OnboardClient(**{**ONBOARD, "mrr": mrr})  # type: ignore[arg-type]

    assert [e["loc"] for e in caught.value.errors()] == [("mrr",)]


def test_null_in_a_revision_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        ReviseStandard(standard_id=uuid.uuid4(), changes={"priority": None}, reason="tidy")  # type: ignore[typeddict-item]

    assert [e["loc"] for e in caught.value.errors()] == [("changes", "priority")]


def test_a_profile_change_is_handed_on_json_plain() -> None:
    command = ChangeClientProfile(client_id=uuid.uuid4(), changes={"mrr": "3500.50", "user_count": 30})  # type: ignore[typeddict-item]

    assert dict(command.changes) == {"mrr": "3500.50", "user_count": 30}


def test_a_profile_change_naming_no_field_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ChangeClientProfile(client_id=uuid.uuid4(), changes={})

    assert [e["loc"] for e in caught.value.errors()] == [("changes",)]


def test_month_arithmetic_past_year_9999_names_the_range() -> None:
    with pytest.raises(ValueError, match="1-9999"):
        add_months(date(9999, 12, 1), 1)
