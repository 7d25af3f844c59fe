"""The ``Client`` aggregate's review stages after answering: the TAM submits the review to the
vCIO, the vCIO may send single items back, then finalises it.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client``). The vCIO rates misaligned answers while the review is submitted (rating is
refused only once it is finalised), so the TAM finishing first never locks the vCIO out; and
finalising with misaligned answers still unrated needs the vCIO's explicit choice, so "unrated"
never silently counts as 0.
"""

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_reviews import check_covers_a_standard
from aggregates.client_state import ClientState
from aggregates.errors import (
    AnswerNotRecordedError,
    ItemsSentBackError,
    ReviewAlreadySubmittedError,
    ReviewNotSubmittedError,
    UnansweredStandardsError,
    UnratedAnswersError,
)
from aggregates.review_state import ReviewState
from events import reviews as rev
from events.vocabulary import Rating


def check_review_is_submitted(self: ClientState, review: ReviewState) -> None:
    self.check_review_is_open(review)
    if not review.is_submitted:
        raise ReviewNotSubmittedError(
            "review_id", "the TAM has not submitted this review to the vCIO yet")


def listed(standard_ids: Collection[UUID]) -> str:
    return ", ".join(str(standard_id) for standard_id in sorted(standard_ids, key=str))


def submit_review(self: ClientState, *, review_id: UUID, in_scope: Collection[UUID],
                  confirm_unanswered: bool, submitted_at: datetime, by: str) -> None:
    """Hand the review to the vCIO. ``in_scope`` are the published standards its categories hold
    now; leaving some unanswered needs ``confirm_unanswered``."""
    review = self.review(review_id)
    self.check_review_is_open(review)
    if review.is_submitted:
        raise ReviewAlreadySubmittedError("review_id", "the review is already with the vCIO")
    check_covers_a_standard(len(in_scope), "review_id")
    unanswered = [standard_id for standard_id in in_scope if standard_id not in review.answers]
    if unanswered and not confirm_unanswered:
        raise UnansweredStandardsError(
            "confirm_unanswered",
            f"{len(unanswered)} of {len(in_scope)} standards are unanswered; confirm to submit"
            f" anyway: {listed(unanswered)}")
    self._review_submitted(review_id=review_id, submitted_at=submitted_at,
                           in_scope=len(in_scope), unanswered=len(unanswered), by=by)


@event(rev.ReviewSubmitted)
def _review_submitted(self: ClientState, review_id: UUID, submitted_at: datetime, in_scope: int,
                      unanswered: int, by: str) -> None:
    self.reviews[review_id].submitted_at = submitted_at


def send_back_item(self: ClientState, *, review_id: UUID, standard_id: UUID, comment: str,
                   by: str) -> None:
    """Reopen one answered item for the TAM; answering it again returns it to the vCIO."""
    review = self.review(review_id)
    self.check_review_is_submitted(review)
    if standard_id not in review.answers:
        raise AnswerNotRecordedError("standard_id", "no answer recorded for this standard in this review")
    self._review_item_sent_back(review_id=review_id, standard_id=standard_id, comment=comment, by=by)


@event(rev.ReviewItemSentBack)
def _review_item_sent_back(self: ClientState, review_id: UUID, standard_id: UUID, comment: str,
                           by: str) -> None:
    self.reviews[review_id].sent_back[standard_id] = comment


def finalise_review(self: ClientState, *, review_id: UUID, unrated_as: Rating | None,
                    finalised_at: datetime, by: str) -> None:
    """Finalise a submitted review. Misaligned answers still unrated are refused, listed, unless
    ``unrated_as`` says what to record them as (each gets its own rating event)."""
    review = self.review(review_id)
    self.check_review_is_submitted(review)
    if review.sent_back:
        raise ItemsSentBackError(
            "review_id", f"{len(review.sent_back)} items are back with the TAM: {listed(review.sent_back)}")
    unrated = review.unrated_misaligned
    if unrated and unrated_as is None:
        raise UnratedAnswersError(
            "unrated_as",
            f"{len(unrated)} misaligned answers are unrated; rate them, or finalise with unrated_as"
            f" 'highly_vulnerable': {listed(unrated)}")
    for standard_id in unrated:
        self._answer_rated(review_id=review_id, standard_id=standard_id,
                           rating=Rating(unrated_as), by=by)
    self._review_completed(review_id=review_id, completed_at=finalised_at,
                           unrated_as=Rating(unrated_as) if unrated else None, by=by)
