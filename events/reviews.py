"""Events of the two-stage alignment review, and answers suggested by outside tools.

The stages, as events: ``ReviewStarted``; the TAM's ``AnswerRecorded``; ``ReviewSubmitted`` (the
TAM hands the review to the vCIO); the vCIO's ``AnswerRated`` and ``ReviewItemSentBack`` (one item
reopened for the TAM, with a comment); then ``ReviewCompleted``, which is the finalisation.

``ReviewCompleted`` keeps its name because stored histories hold it: every ``ReviewCompleted``
means "finalised". Reviews completed before the stages existed (version 1, no submission before
them) read as finalised with nothing recorded for unrated answers (``unrated_as`` None): that is
the upcast rule, and read models treat them exactly as finalised reviews. Version 2 records
``unrated_as``: the rating the vCIO explicitly chose for misaligned answers left unrated (each also
recorded as its own ``AnswerRated`` just before), or None when none were left unrated.
"""

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


class ReviewSubmitted(TenantEvent):
    """The TAM hands the review to the vCIO; ``unanswered`` standards in scope were left
    unanswered with the TAM's explicit confirmation."""

    review_id: UUID
    submitted_at: datetime
    in_scope: int
    unanswered: int
    by: str


class ReviewItemSentBack(TenantEvent):
    """The vCIO reopens one item of a submitted review for the TAM, saying why."""

    review_id: UUID
    standard_id: UUID
    comment: str
    by: str


class ReviewCompleted(TenantEvent):
    """The review is finalised (see the module docstring for version 1)."""

    class_version = 2

    review_id: UUID
    completed_at: datetime
    unrated_as: Rating | None
    by: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["unrated_as"] = None
