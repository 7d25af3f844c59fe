"""The rules of a client's alignment review, each refused with its own named error.

The tests go through the command handlers on the in-memory ledger, so the standard's status
reaches the aggregate exactly as production looks it up.
"""

import pytest

from aggregates.errors import (
    AnswerNotRecordedError,
    AnswerToUnpublishedStandardError,
    RatingOnAlignedAnswerError,
    ReviewAlreadyCompletedError,
    ReviewAlreadyOpenError,
    StandardOutOfReviewScopeError,
)
from events.vocabulary import Answer, Rating
from tests.unit.scenario import Scenario


def test_answering_a_draft_standard_is_refused_naming_the_standard(scenario: Scenario) -> None:
    draft = scenario.standard(publish=False)
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        scenario.answer(client, review, draft, Answer.YES)

    assert refused.value.field == "standard_id"
    assert "draft" in refused.value.reason


def test_answering_a_retired_standard_is_refused_naming_the_standard(scenario: Scenario) -> None:
    retired = scenario.standard()
    scenario.retire(retired)
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        scenario.answer(client, review, retired, Answer.YES)

    assert refused.value.field == "standard_id"
    assert "retired" in refused.value.reason


def test_answering_on_a_completed_review_is_refused_naming_the_review(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.completed_review(client, {standard: Answer.NO})

    with pytest.raises(ReviewAlreadyCompletedError) as refused:
        scenario.answer(client, review, standard, Answer.YES)

    assert refused.value.field == "review_id"


def test_rating_on_a_completed_review_is_refused_naming_the_review(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.completed_review(client, {standard: Answer.NO})

    with pytest.raises(ReviewAlreadyCompletedError) as refused:
        scenario.rate(client, review, standard, Rating.MARGINAL)

    assert refused.value.field == "review_id"


def test_rating_an_aligned_answer_is_refused_naming_the_rating(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.YES)

    with pytest.raises(RatingOnAlignedAnswerError) as refused:
        scenario.rate(client, review, standard, Rating.MARGINAL)

    assert refused.value.field == "rating"


def test_rating_a_not_applicable_answer_is_refused_naming_the_rating(scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.NOT_APPLICABLE)

    with pytest.raises(RatingOnAlignedAnswerError) as refused:
        scenario.rate(client, review, standard, Rating.HIGHLY_VULNERABLE)

    assert refused.value.field == "rating"


def test_rating_a_standard_not_yet_answered_is_refused_naming_the_standard(
        scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)

    with pytest.raises(AnswerNotRecordedError) as refused:
        scenario.rate(client, review, standard, Rating.MARGINAL)

    assert refused.value.field == "standard_id"


def test_completing_a_review_twice_is_refused_naming_the_review(scenario: Scenario) -> None:
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client)
    scenario.complete(client, review)

    with pytest.raises(ReviewAlreadyCompletedError) as refused:
        scenario.complete(client, review)

    assert refused.value.field == "review_id"


def test_opening_a_second_review_while_one_is_open_is_refused_naming_the_review(
        scenario: Scenario) -> None:
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    open_review = scenario.start(client)

    with pytest.raises(ReviewAlreadyOpenError) as refused:
        scenario.start(client)

    assert refused.value.field == "review_id"
    assert str(open_review) in refused.value.reason


def test_answering_a_standard_outside_the_review_categories_is_refused(
        scenario: Scenario) -> None:
    email_standard = scenario.standard(category="email")
    scenario.standard(category="firewalls")  # a review must cover a published standard
    client = scenario.client()
    review = scenario.start(client, categories=["firewalls"])

    with pytest.raises(StandardOutOfReviewScopeError) as refused:
        scenario.answer(client, review, email_standard, Answer.YES)

    assert refused.value.field == "standard_id"
