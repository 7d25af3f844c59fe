"""Alignment review bodies: start a review, answer (one or many), rate, complete. Each is its
command without the ids the URL carries."""

from uuid import UUID

from api.schemas.common import CommandBody, Recorded
from commands.reviews import CompleteReview, RateAnswer, RecordAnswer, RecordAnswers, StartReview


class ReviewCreate(CommandBody, command=StartReview, path=("client_id",)):
    """A new review of a client; no categories means the whole published library."""


class ReviewCreated(Recorded):
    review_id: UUID


class AnswerPut(CommandBody, command=RecordAnswer, path=("client_id", "review_id", "standard_id")):
    """The TAM's answer to one standard (sending it again changes the answer)."""


class AnswersCreate(CommandBody, command=RecordAnswers, path=("client_id", "review_id")):
    """Several answers saved together: all of them, or none when one is refused."""


class RatingPut(CommandBody, command=RateAnswer, path=("client_id", "review_id", "standard_id")):
    """The vCIO's judgement of a misaligned answer."""


class ReviewCompletion(CommandBody, command=CompleteReview, path=("client_id", "review_id")):
    """Complete the review, at a time of the caller's choosing (default: now)."""
