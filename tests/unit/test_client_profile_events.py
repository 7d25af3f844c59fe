"""What onboarding and changing a Client's profile record, and the profile values refused."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from aggregates.client import Client
from aggregates.client_profile import check_profile_value
from aggregates.errors import (
    InvalidValueError,
)
from tests.unit.client_steps import last_event, onboarded, refusal

# --- profile values ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value", "plain"), [
    ("mrr", Decimal("0"), "0"), ("mrr", "2500.50", "2500.50"), ("complexity", "1", 1),
    ("complexity", 10, 10), ("fiscal_year_start_month", 1, 1), ("fiscal_year_start_month", "12", 12),
    ("user_count", "0", 0), ("industry", "retail", "retail"), ("name", " Acme ", " Acme "),
])
def test_a_profile_value_at_the_edge_of_its_range_is_accepted_in_its_plain_form(
        name: str, value: Any, plain: Any) -> None:
    assert check_profile_value(name, value) == plain


def test_a_numeric_profile_value_is_returned_as_an_int_not_as_text() -> None:
    assert type(check_profile_value("user_count", "7")) is int


@pytest.mark.parametrize(("name", "value", "reason"), [
    ("mrr", Decimal("-0.01"), "must not be negative"),
    ("complexity", 0, "must be between 1 and 10"),
    ("complexity", 11, "must be between 1 and 10"),
    ("fiscal_year_start_month", 0, "must be a month number 1-12"),
    ("fiscal_year_start_month", 13, "must be a month number 1-12"),
    ("user_count", -1, "must not be negative"),
    ("industry", "  ", "must be non-empty text"),
    ("vcio", 7, "must be non-empty text"),
])
def test_a_profile_value_out_of_range_is_refused_naming_the_field_and_the_rule(
        name: str, value: Any, reason: str) -> None:
    assert refusal(InvalidValueError, lambda: check_profile_value(name, value)) == (name, reason)


def test_a_name_that_is_no_profile_field_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: check_profile_value("colour", "red")) == (
        "colour", "is not a profile field of a client")


# --- changing the profile ----------------------------------------------------------------------

def test_a_profile_change_records_only_the_fields_that_differ_with_its_day_and_author() -> None:
    client = onboarded()

    client.change_profile(changes={"name": "Acme", "mrr": "3500", "complexity": 7},
                          by="vera", effective_on=date(2027, 2, 1))

    event = last_event(client)
    assert (type(event), event.changes, event.effective_on, event.by) == (
        Client.ClientProfileChanged, {"mrr": "3500", "complexity": 7}, date(2027, 2, 1), "vera")


def test_a_profile_change_without_a_day_records_none_for_the_day() -> None:
    client = onboarded()

    client.change_profile(changes={"tam": "tina"}, by="vera")

    assert last_event(client).effective_on is None


def test_a_profile_change_leaves_the_new_values_on_the_client_with_mrr_as_a_decimal() -> None:
    client = onboarded()

    client.change_profile(changes={"mrr": "3500.25", "industry": "retail"}, by="vera")

    assert (client.mrr, type(client.mrr), client.industry) == (Decimal("3500.25"), Decimal, "retail")


def test_a_profile_change_that_changes_nothing_is_refused() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.change_profile(
        changes={"mrr": Decimal("3000.00"), "user_count": 24}, by="vera")) == (
        "changes", "no profile field differs from the profile in force on the day recorded")


# --- onboarding --------------------------------------------------------------------------------

def test_an_onboarded_client_holds_its_profile_and_nothing_else_yet() -> None:
    client = onboarded()

    assert (client.tenant, client.name, client.mrr, type(client.mrr), client.user_count, client.complexity,
            client.industry, client.fiscal_year_start_month, client.vcio, client.tam) == (
        "msp-1", "Acme", Decimal("3000.00"), Decimal, 24, 5, "legal", 1, "vera", "tom")
    assert (client.decision_makers, client.reviews, client.review_order, client.recommendations,
            client.meetings, client.action_items) == (set(), {}, [], {}, {}, {})


def test_onboarding_records_every_profile_field_and_its_author() -> None:
    client = onboarded()

    event = client.pending_events[0]
    assert (type(event), event.tenant, event.name, event.mrr, event.user_count, event.complexity,
            event.industry, event.fiscal_year_start_month, event.vcio, event.tam, event.by) == (
        Client.ClientOnboarded, "msp-1", "Acme", Decimal("3000.00"), 24, 5, "legal", 1, "vera", "tom",
        "vera")
