"""The transitions a recommendation, meeting or action item allows, and the fiscal quarters."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from aggregates.errors import (
    InvalidValueError,
    RecommendationAlreadyCompletedError,
    RecommendationAlreadyStartedError,
    RecommendationNotApprovedError,
    RecommendationNotStartedError,
)
from aggregates.strategy_state import (
    ActionItemState,
    RecommendationState,
    check_not_negative,
    check_quarter_start,
    fiscal_quarter_start,
)
from events.vocabulary import RecommendationStatus
from tests.unit.client_steps import refusal

FOLLOW_UP = date(2027, 6, 1)


def recommendation(status: RecommendationStatus) -> RecommendationState:
    return RecommendationState(uuid4(), (), None, status)


def item() -> ActionItemState:
    return ActionItemState(uuid4(), None, "Renew licences", "tom", "Ask for a quote", FOLLOW_UP)


@pytest.mark.parametrize(("day", "start_month", "quarter_start"), [
    (date(2027, 1, 1), 1, date(2027, 1, 1)), (date(2027, 3, 31), 1, date(2027, 1, 1)),
    (date(2027, 12, 31), 1, date(2027, 10, 1)), (date(2027, 4, 15), 4, date(2027, 4, 1)),
    (date(2027, 3, 15), 4, date(2027, 1, 1)), (date(2027, 1, 20), 2, date(2026, 11, 1)),
    (date(2027, 12, 5), 3, date(2027, 12, 1)), (date(2027, 2, 28), 12, date(2026, 12, 1)),
    (date(2027, 8, 9), 7, date(2027, 7, 1)), (date(2027, 11, 30), 12, date(2027, 9, 1)),
])
def test_the_fiscal_quarter_start_is_the_first_day_of_the_quarter_holding_the_day(
        day: date, start_month: int, quarter_start: date) -> None:
    assert fiscal_quarter_start(day, start_month) == quarter_start


def test_a_day_that_starts_no_fiscal_quarter_is_refused_naming_its_quarter() -> None:
    assert refusal(InvalidValueError, lambda: check_quarter_start(date(2027, 2, 1), 1)) == (
        "target_quarter_start", "must be the first day of a fiscal quarter of the client (the quarter"
        " containing 2027-02-01 starts 2027-01-01)")


def test_a_negative_amount_is_refused_and_zero_is_accepted() -> None:
    assert refusal(InvalidValueError, lambda: check_not_negative(
        fee=Decimal(0), hours=Decimal("-0.5"))) == ("hours", "must not be negative")


@pytest.mark.parametrize(("status", "decided"), [
    (RecommendationStatus.PROPOSED, False), (RecommendationStatus.PRESENTED, False),
    (RecommendationStatus.APPROVED, True), (RecommendationStatus.DECLINED, True),
    (RecommendationStatus.IN_PROGRESS, True), (RecommendationStatus.COMPLETED, True)])
def test_a_recommendation_is_decided_once_approved_or_declined_or_later(
        status: RecommendationStatus, decided: bool) -> None:
    assert recommendation(status).is_decided is decided


def test_a_completed_recommendation_cannot_start() -> None:
    assert refusal(RecommendationAlreadyCompletedError, lambda: recommendation(
        RecommendationStatus.COMPLETED).check_can_start()) == (
        "recommendation_id", "the recommendation is already completed")


def test_a_started_recommendation_cannot_start_again() -> None:
    assert refusal(RecommendationAlreadyStartedError, lambda: recommendation(
        RecommendationStatus.IN_PROGRESS).check_can_start()) == (
        "recommendation_id", "the recommendation is already in progress")


def test_an_unapproved_recommendation_cannot_start_naming_its_status() -> None:
    assert refusal(RecommendationNotApprovedError, lambda: recommendation(
        RecommendationStatus.PRESENTED).check_can_start()) == (
        "recommendation_id", "only an approved recommendation can start; it is presented")


def test_an_unstarted_recommendation_cannot_complete_naming_its_status() -> None:
    assert refusal(RecommendationNotStartedError, lambda: recommendation(
        RecommendationStatus.APPROVED).check_can_complete()) == (
        "recommendation_id", "only a started recommendation can complete; it is approved")


def test_a_completed_recommendation_cannot_complete_again() -> None:
    assert refusal(RecommendationAlreadyCompletedError, lambda: recommendation(
        RecommendationStatus.COMPLETED).check_can_complete())[0] == "recommendation_id"


def test_an_action_item_change_to_a_field_it_does_not_have_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: item().plain_changes({"colour": "red"})) == (
        "changes.colour", "is not a field of an action item")


@pytest.mark.parametrize("value", ["", "  ", None])
def test_an_action_item_text_change_to_nothing_is_refused(value: Any) -> None:
    assert refusal(InvalidValueError, lambda: item().plain_changes({"owner": value})) == (
        "changes.owner", "must be non-empty text")


def test_an_action_item_follow_up_that_is_no_iso_date_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: item().plain_changes({"follow_up_on": "next week"})) == (
        "changes.follow_up_on", "must be an ISO date")


def test_an_action_item_follow_up_given_as_text_or_date_is_kept_as_an_iso_date() -> None:
    assert (item().plain_changes({"follow_up_on": "2027-07-01"}),
            item().plain_changes({"follow_up_on": date(2027, 7, 2)})) == (
        {"follow_up_on": "2027-07-01"}, {"follow_up_on": "2027-07-02"})


def test_an_action_item_change_that_changes_nothing_is_refused() -> None:
    assert refusal(InvalidValueError, lambda: item().plain_changes(
        {"title": "Renew licences", "follow_up_on": "2027-06-01"})) == (
        "changes", "no field differs from the action item")


def test_applying_changes_sets_text_and_parses_the_follow_up_date() -> None:
    action_item = item()

    action_item.apply({"title": "Renew all licences", "follow_up_on": "2027-07-01"})

    assert (action_item.title, action_item.follow_up_on) == ("Renew all licences", date(2027, 7, 1))


def test_an_open_action_item_passes_its_open_check_and_a_completed_one_does_not() -> None:
    action_item = item()
    open_check = action_item.check_is_open()
    action_item.completed_at = datetime(2027, 6, 2, tzinfo=UTC)

    with pytest.raises(Exception) as raised:
        action_item.check_is_open()

    assert (open_check, type(raised.value).__name__) == (None, "ActionItemAlreadyCompletedError")


@pytest.mark.parametrize(("name", "value"), [
    ("title", "Renew all licences"), ("owner", "vera"), ("next_step", "Sign it"),
    ("follow_up_on", "2027-07-01")])
def test_each_field_of_an_action_item_may_change(name: str, value: str) -> None:
    assert item().plain_changes({name: value}) == {name: value}
