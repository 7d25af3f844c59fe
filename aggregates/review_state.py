"""The in-memory state of a client's alignment reviews (derived from events, never stored)."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from events.vocabulary import Answer, ExpectedAnswer, Rating


@dataclass
class AnswerState:
    answer: Answer
    standard_revision: int
    expected_answer: ExpectedAnswer
    rating: Rating | None = None

    @property
    def is_misaligned(self) -> bool:
        return self.answer is not Answer.NOT_APPLICABLE and self.answer.value != self.expected_answer.value


@dataclass(frozen=True)
class StandardFacts:
    """What a command handler looked up about a standard before answering it."""

    standard_id: UUID
    category: str
    revision: int
    expected_answer: ExpectedAnswer
    is_answerable: bool
    status: str


@dataclass
class ReviewState:
    """One review and its stage: answering (the TAM's), submitted (the vCIO's), completed
    (finalised). ``sent_back`` holds the items the vCIO reopened for the TAM, with the comment."""

    review_id: UUID
    categories: tuple[str, ...]
    started_at: datetime
    completed_at: datetime | None = None
    answers: dict[UUID, AnswerState] = field(default_factory=dict)
    submitted_at: datetime | None = None
    sent_back: dict[UUID, str] = field(default_factory=dict)

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None or self.is_completed

    @property
    def stage(self) -> str:
        if self.is_completed:
            return "finalised"
        return "submitted" if self.is_submitted else "answering"

    @property
    def unrated_misaligned(self) -> list[UUID]:
        return sorted((standard_id for standard_id, answer in self.answers.items()
                       if answer.is_misaligned and answer.rating is None), key=str)

    def covers(self, category: str) -> bool:
        return not self.categories or category in self.categories
