"""The ``Client`` aggregate: one MSP client, its decision makers and its alignment reviews.

Reviews live inside the client because their rules (one open review at a time, the previous
answer, answering only an open review) are rules about the client's own history.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.errors import (
    AnswerNotRecordedError,
    AnswerToUnpublishedStandardError,
    InvalidValueError,
    NotFoundError,
    RatingOnAlignedAnswerError,
    ReviewAlreadyCompletedError,
    ReviewAlreadyOpenError,
    StandardOutOfReviewScopeError,
    UnknownDecisionMakerError,
)
from aggregates.review_state import AnswerState, ReviewState, StandardFacts
from aggregates.tenanted import TenantAggregate
from events import clients as cev
from events import reviews as rev
from events.vocabulary import Answer, ExpectedAnswer, Rating

PROFILE_FIELDS = ("name", "mrr", "user_count", "complexity", "industry",
                  "fiscal_year_start_month", "vcio", "tam")


def check_profile_value(name: str, value: Any) -> Any:
    """Validate one profile field, returning its JSON-plain form."""
    if name not in PROFILE_FIELDS:
        raise InvalidValueError(name, "is not a profile field of a client")
    if name == "mrr":
        amount = Decimal(str(value))
        if amount < 0:
            raise InvalidValueError("mrr", "must not be negative")
        return str(amount)
    if name == "complexity" and not 1 <= int(value) <= 10:
        raise InvalidValueError("complexity", "must be between 1 and 10")
    if name == "fiscal_year_start_month" and not 1 <= int(value) <= 12:
        raise InvalidValueError("fiscal_year_start_month", "must be a month number 1-12")
    if name == "user_count" and int(value) < 0:
        raise InvalidValueError("user_count", "must not be negative")
    if name in ("complexity", "fiscal_year_start_month", "user_count"):
        return int(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(name, "must be non-empty text")
    return value


class Client(TenantAggregate):
    """An MSP client, the decision makers who approve its spending, and its reviews."""

    ClientOnboarded = cev.ClientOnboarded
    ClientProfileChanged = cev.ClientProfileChanged
    DecisionMakerAdded = cev.DecisionMakerAdded
    DecisionMakerRemoved = cev.DecisionMakerRemoved
    ReviewStarted = rev.ReviewStarted
    AnswerRecorded = rev.AnswerRecorded
    AnswerRated = rev.AnswerRated
    ReviewCompleted = rev.ReviewCompleted

    @event(ClientOnboarded)
    def __init__(
        self,
        *,
        tenant: str,
        name: str,
        mrr: Decimal,
        user_count: int,
        complexity: int,
        industry: str,
        fiscal_year_start_month: int,
        vcio: str,
        tam: str,
        by: str,
    ) -> None:
        self.tenant = tenant
        self.name = name
        self.mrr = Decimal(mrr)
        self.user_count = user_count
        self.complexity = complexity
        self.industry = industry
        self.fiscal_year_start_month = fiscal_year_start_month
        self.vcio = vcio
        self.tam = tam
        self.decision_makers: set[UUID] = set()
        self.reviews: dict[UUID, ReviewState] = {}
        self.review_order: list[UUID] = []

    # --- profile and decision makers -------------------------------------------------------

    def change_profile(self, *, changes: dict[str, Any], by: str) -> None:
        plain = {name: check_profile_value(name, value) for name, value in changes.items()}
        differing = {k: v for k, v in plain.items() if str(getattr(self, k)) != str(v)}
        if not differing:
            raise InvalidValueError("changes", "no profile field differs from the current profile")
        self._profile_changed(changes=differing, by=by)

    @event(ClientProfileChanged)
    def _profile_changed(self, changes: dict[str, Any], by: str) -> None:
        for name, value in changes.items():
            setattr(self, name, Decimal(value) if name == "mrr" else value)

    @event(DecisionMakerAdded)
    def add_decision_maker(
        self, *, decision_maker_id: UUID, title: str, sealed_name: str, sealed_email: str,
        sealed_phone: str, by: str,
    ) -> None:
        self.decision_makers.add(decision_maker_id)

    def check_is_decision_maker(self, decision_maker_id: UUID, field: str = "decision_maker_id") -> None:
        if decision_maker_id not in self.decision_makers:
            raise UnknownDecisionMakerError(field, "is not a current decision maker of this client")

    def remove_decision_maker(self, *, decision_maker_id: UUID, reason: str, by: str) -> None:
        self.check_is_decision_maker(decision_maker_id)
        self._decision_maker_removed(decision_maker_id=decision_maker_id, reason=reason, by=by)

    @event(DecisionMakerRemoved)
    def _decision_maker_removed(self, decision_maker_id: UUID, reason: str, by: str) -> None:
        self.decision_makers.discard(decision_maker_id)

    # --- reviews ---------------------------------------------------------------------------

    @property
    def open_review(self) -> ReviewState | None:
        if self.review_order and not self.reviews[self.review_order[-1]].is_completed:
            return self.reviews[self.review_order[-1]]
        return None

    def review(self, review_id: UUID) -> ReviewState:
        try:
            return self.reviews[review_id]
        except KeyError:
            raise NotFoundError("review_id", "no such review for this client") from None

    def check_review_is_open(self, review: ReviewState) -> None:
        if review.is_completed:
            raise ReviewAlreadyCompletedError("review_id", "the review is already completed")

    def start_review(self, *, review_id: UUID, categories: list[str], started_at: datetime, by: str) -> None:
        if self.open_review is not None:
            raise ReviewAlreadyOpenError("review_id", f"review {self.open_review.review_id} is still open")
        self._review_started(review_id=review_id, categories=sorted(set(categories)), started_at=started_at, by=by)

    @event(ReviewStarted)
    def _review_started(self, review_id: UUID, categories: list[str], started_at: datetime, by: str) -> None:
        self.reviews[review_id] = ReviewState(review_id, tuple(categories), started_at)
        self.review_order.append(review_id)

    def record_answer(
        self, *, review_id: UUID, standard: StandardFacts, answer: Answer, note: str,
        observed_at: datetime, by: str,
    ) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        if not standard.is_answerable:
            raise AnswerToUnpublishedStandardError("standard_id", f"standard is {standard.status}; only published standards can be answered")
        if not review.covers(standard.category):
            raise StandardOutOfReviewScopeError("standard_id", f"category {standard.category!r} is not in this review")
        self._answer_recorded(
            review_id=review_id, standard_id=standard.standard_id, standard_revision=standard.revision,
            expected_answer=standard.expected_answer, answer=Answer(answer), note=note,
            observed_at=observed_at, by=by,
        )

    @event(AnswerRecorded)
    def _answer_recorded(
        self, review_id: UUID, standard_id: UUID, standard_revision: int,
        expected_answer: ExpectedAnswer, answer: Answer, note: str, observed_at: datetime, by: str,
    ) -> None:
        self.reviews[review_id].answers[standard_id] = AnswerState(answer, standard_revision, expected_answer)

    def rate_answer(self, *, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        recorded = review.answers.get(standard_id)
        if recorded is None:
            raise AnswerNotRecordedError("standard_id", "no answer recorded for this standard in this review")
        if not recorded.is_misaligned:
            raise RatingOnAlignedAnswerError("rating", "only a misaligned answer can be rated")
        self._answer_rated(review_id=review_id, standard_id=standard_id, rating=Rating(rating), by=by)

    @event(AnswerRated)
    def _answer_rated(self, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None:
        self.reviews[review_id].answers[standard_id].rating = rating

    def complete_review(self, *, review_id: UUID, completed_at: datetime, by: str) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        self._review_completed(review_id=review_id, completed_at=completed_at, by=by)

    @event(ReviewCompleted)
    def _review_completed(self, review_id: UUID, completed_at: datetime, by: str) -> None:
        self.reviews[review_id].completed_at = completed_at

    def previous_answer(self, standard_id: UUID) -> AnswerState | None:
        """The answer in the last completed review, as the reviewer must see it."""
        for review_id in reversed(self.review_order):
            review = self.reviews[review_id]
            if review.is_completed and standard_id in review.answers:
                return review.answers[standard_id]
        return None
