"""A review's stage and its answers' alignment, as the in-memory review state derives them."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from aggregates.review_state import AnswerState, ReviewState
from events.vocabulary import Answer, ExpectedAnswer, Rating

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)
FIRST = UUID("00000000-0000-0000-0000-000000000001")
SECOND = UUID("00000000-0000-0000-0000-000000000002")
THIRD = UUID("00000000-0000-0000-0000-000000000003")


@pytest.mark.parametrize(("answer", "expected", "misaligned"), [
    (Answer.YES, ExpectedAnswer.YES, False), (Answer.NO, ExpectedAnswer.YES, True),
    (Answer.YES, ExpectedAnswer.NO, True), (Answer.NO, ExpectedAnswer.NO, False),
    (Answer.NOT_APPLICABLE, ExpectedAnswer.YES, False), (Answer.NOT_APPLICABLE, ExpectedAnswer.NO, False)])
def test_an_answer_is_misaligned_when_it_differs_from_the_expected_one_unless_not_applicable(
        answer: Answer, expected: ExpectedAnswer, misaligned: bool) -> None:
    assert AnswerState(answer, 1, expected).is_misaligned is misaligned


@pytest.mark.parametrize(("submitted_at", "completed_at", "stage", "submitted", "completed"), [
    (None, None, "answering", False, False), (AT, None, "submitted", True, False),
    (AT, AT, "finalised", True, True), (None, AT, "finalised", True, True)])
def test_a_review_s_stage_follows_its_submission_and_completion(
        submitted_at: datetime | None, completed_at: datetime | None, stage: str, submitted: bool,
        completed: bool) -> None:
    review = ReviewState(FIRST, (), AT, completed_at=completed_at, submitted_at=submitted_at)

    assert (review.stage, review.is_submitted, review.is_completed) == (stage, submitted, completed)


def test_the_unrated_misaligned_answers_are_listed_in_id_order_leaving_out_rated_and_aligned_ones() -> None:
    review = ReviewState(FIRST, (), AT, answers={
        THIRD: AnswerState(Answer.NO, 1, ExpectedAnswer.YES),
        SECOND: AnswerState(Answer.YES, 1, ExpectedAnswer.YES),
        FIRST: AnswerState(Answer.NO, 1, ExpectedAnswer.YES),
        UUID(int=4): AnswerState(Answer.NO, 1, ExpectedAnswer.YES, Rating.MARGINAL)})

    assert review.unrated_misaligned == [FIRST, THIRD]


@pytest.mark.parametrize(("categories", "category", "covered"), [
    ((), "email", True), (("email",), "email", True), (("email",), "firewalls", False)])
def test_a_review_covers_its_categories_or_every_category_when_it_names_none(
        categories: tuple[str, ...], category: str, covered: bool) -> None:
    assert ReviewState(FIRST, categories, AT).covers(category) is covered
