"""Events of the two-stage alignment review: the TAM answers, the vCIO rates, then it completes;
outside tools may suggest answers, which the TAM sees but which are never recorded as answers."""

from datetime import datetime
from typing import Any
from uuid import UUID

from events.base import TenantEvent
from events.vocabulary import Answer, ExpectedAnswer, Rating


class ReviewStarted(TenantEvent):
    review_id: UUID
    categories: list[str]
    started_at: datetime
    by: str


class AnswerRecorded(TenantEvent):
    """An answer (or a change of answer) to one standard, against the revision in force.

    Version 2 added ``observed_at`` (when the reviewer saw the fact, as opposed to when it was
    recorded); version-1 events take their recording time as the observation time.
    """

    class_version = 2

    review_id: UUID
    standard_id: UUID
    standard_revision: int
    expected_answer: ExpectedAnswer
    answer: Answer
    note: str
    observed_at: datetime
    by: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["observed_at"] = state["timestamp"]


class AnswerRated(TenantEvent):
    review_id: UUID
    standard_id: UUID
    rating: Rating
    by: str


class AnswerSuggested(TenantEvent):
    """An answer an outside tool (an RMM) suggests for one standard, with where it came from.

    Only ever shown to the TAM as a suggestion: it records no answer and changes none.
    """

    suggestion_id: UUID
    standard_id: UUID
    answer: Answer
    source: str
    evidence: str
    observed_at: datetime
    by: str


class ReviewCompleted(TenantEvent):
    review_id: UUID
    completed_at: datetime
    by: str
