"""Alignment review bodies: start a review, answer (one or many), rate, complete."""

from uuid import UUID

from pydantic import AwareDatetime, Field

from api.schemas.common import Recorded, VersionCheck
from commands.reviews import AnswerInput, Note
from events.vocabulary import Answer, Rating


class ReviewCreate(VersionCheck):
    """A new review of a client; no categories means the whole published library."""

    categories: list[str] = Field(default_factory=list)
    started_at: AwareDatetime | None = None


class ReviewCreated(Recorded):
    review_id: UUID


class AnswerPut(VersionCheck):
    """The TAM's answer to one standard (sending it again changes the answer)."""

    answer: Answer
    note: Note = ""
    observed_at: AwareDatetime | None = None


class AnswerItem(AnswerInput):
    """One answer of a batch."""


class AnswersCreate(VersionCheck):
    """Several answers saved together: all of them, or none when one is refused."""

    answers: list[AnswerItem] = Field(min_length=1, max_length=2000)


class RatingPut(VersionCheck):
    """The vCIO's judgement of a misaligned answer."""

    rating: Rating


class ReviewCompletion(VersionCheck):
    completed_at: AwareDatetime | None = None
