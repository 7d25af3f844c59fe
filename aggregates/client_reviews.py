"""The ``Client`` aggregate's alignment reviews: start, answer, rate, complete; and answers
suggested by outside tools. The stages after answering (submit, send back, finalise) are in
``client_review_stages``.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). Reviews belong to the client because
their rules (one open review at a time, the previous answer, answering only an open review) are
rules about the client's own history.
"""

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_state import ClientState
from aggregates.errors import (
    AnswerNotRecordedError,
    AnswerToUnpublishedStandardError,
    NotFoundError,
    RatingOnAlignedAnswerError,
    ReviewAlreadyCompletedError,
    ReviewAlreadyOpenError,
    ReviewAlreadySubmittedError,
    ReviewCoversNoStandardError,
    StandardOutOfReviewScopeError,
)
from aggregates.review_state import AnswerState, ReviewState, StandardFacts
from events import reviews as rev
from events.vocabulary import Answer, ExpectedAnswer, Rating


def open_review(self: ClientState) -> ReviewState | None:
    if self.review_order and not self.reviews[self.review_order[-1]].is_completed:
        return self.reviews[self.review_order[-1]]
    return None


def latest_completed_review(self: ClientState) -> ReviewState | None:
    for review_id in reversed(self.review_order):
        if self.reviews[review_id].is_completed:
            return self.reviews[review_id]
    return None


def latest_submitted_review(self: ClientState) -> ReviewState | None:
    """The latest review the TAM has handed over (submitted or finalised): findings come from it."""
    for review_id in reversed(self.review_order):
        if self.reviews[review_id].is_submitted:
            return self.reviews[review_id]
    return None


def review(self: ClientState, review_id: UUID) -> ReviewState:
    try:
        return self.reviews[review_id]
    except KeyError:
        raise NotFoundError("review_id", "no such review for this client") from None


def check_review_is_open(self: ClientState, review: ReviewState) -> None:
    if review.is_completed:
        raise ReviewAlreadyCompletedError("review_id", "the review is already completed")


def check_covers_a_standard(in_scope: int, field: str) -> None:
    if in_scope == 0:
        raise ReviewCoversNoStandardError(
            field, "the review covers no published standard; choose categories that have some")


def start_review(self: ClientState, *, review_id: UUID, categories: list[str], in_scope: int,
                 started_at: datetime, by: str) -> None:
    """Start a review; ``in_scope`` is how many published standards its categories hold."""
    if self.open_review is not None:
        raise ReviewAlreadyOpenError("review_id", f"review {self.open_review.review_id} is still open")
    check_covers_a_standard(in_scope, "categories")
    self._review_started(review_id=review_id, categories=sorted(set(categories)),
                         started_at=started_at, by=by)


@event(rev.ReviewStarted)
def _review_started(self: ClientState, review_id: UUID, categories: list[str], started_at: datetime,
                    by: str) -> None:
    self.reviews[review_id] = ReviewState(review_id, tuple(categories), started_at)
    self.review_order.append(review_id)


def record_answer(
    self: ClientState, *, review_id: UUID, standard: StandardFacts, answer: Answer, note: str,
    observed_at: datetime, by: str,
) -> None:
    review = self.review(review_id)
    self.check_review_is_open(review)
    if review.is_submitted and standard.standard_id not in review.sent_back:
        raise ReviewAlreadySubmittedError(
            "review_id", "the review is with the vCIO; only items sent back can be answered again")
    if not standard.is_answerable:
        raise AnswerToUnpublishedStandardError(
            "standard_id", f"standard is {standard.status}; only published standards can be answered")
    if not review.covers(standard.category):
        raise StandardOutOfReviewScopeError(
            "standard_id", f"category {standard.category!r} is not in this review")
    self._answer_recorded(
        review_id=review_id, standard_id=standard.standard_id, standard_revision=standard.revision,
        expected_answer=standard.expected_answer, answer=Answer(answer), note=note,
        observed_at=observed_at, by=by,
    )


@event(rev.AnswerRecorded)
def _answer_recorded(
    self: ClientState, review_id: UUID, standard_id: UUID, standard_revision: int,
    expected_answer: ExpectedAnswer, answer: Answer, note: str, observed_at: datetime, by: str,
) -> None:
    review = self.reviews[review_id]
    review.answers[standard_id] = AnswerState(answer, standard_revision, expected_answer)
    review.sent_back.pop(standard_id, None)


def rate_answer(self: ClientState, *, review_id: UUID, standard_id: UUID, rating: Rating,
                by: str) -> None:
    review = self.review(review_id)
    self.check_review_is_open(review)
    recorded = review.answers.get(standard_id)
    if recorded is None:
        raise AnswerNotRecordedError("standard_id", "no answer recorded for this standard in this review")
    if not recorded.is_misaligned:
        raise RatingOnAlignedAnswerError("rating", "only a misaligned answer can be rated")
    self._answer_rated(review_id=review_id, standard_id=standard_id, rating=Rating(rating), by=by)


@event(rev.AnswerRated)
def _answer_rated(self: ClientState, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None:
    self.reviews[review_id].answers[standard_id].rating = rating


def suggest_answer(
    self: ClientState, *, suggestion_id: UUID, standard: StandardFacts, answer: Answer, source: str,
    evidence: str, observed_at: datetime, by: str,
) -> None:
    """Keep an outside tool's suggested answer for the TAM to see. It needs no open review and
    never records or changes an answer: only the TAM does that."""
    if not standard.is_answerable:
        raise AnswerToUnpublishedStandardError(
            "standard_id", f"standard is {standard.status}; only published standards can be answered")
    self._answer_suggested(
        suggestion_id=suggestion_id, standard_id=standard.standard_id, answer=Answer(answer),
        source=source, evidence=evidence, observed_at=observed_at, by=by,
    )


@event(rev.AnswerSuggested)
def _answer_suggested(
    self: ClientState, suggestion_id: UUID, standard_id: UUID, answer: Answer, source: str,
    evidence: str, observed_at: datetime, by: str,
) -> None:
    """Nothing the aggregate decides depends on a suggestion; the read models show it."""


def complete_review(self: ClientState, *, review_id: UUID, completed_at: datetime, by: str) -> None:
    """The one-step completion from before the stages, kept for existing callers: it finalises
    an answering or submitted review at once, unrated answers counting as the policy's unrated."""
    review = self.review(review_id)
    self.check_review_is_open(review)
    self._review_completed(review_id=review_id, completed_at=completed_at, unrated_as=None, by=by)


@event(rev.ReviewCompleted)
def _review_completed(self: ClientState, review_id: UUID, completed_at: datetime,
                      unrated_as: Rating | None, by: str) -> None:
    review = self.reviews[review_id]
    review.completed_at = completed_at
    review.sent_back.clear()


def previous_answer(self: ClientState, standard_id: UUID) -> AnswerState | None:
    """The answer in the last completed review, as the reviewer must see it."""
    for review_id in reversed(self.review_order):
        review = self.reviews[review_id]
        if review.is_completed and standard_id in review.answers:
            return review.answers[standard_id]
    return None
