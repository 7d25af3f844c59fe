"""Alignment bodies: where a client stands per standard and per category, and its score trend.

Scores and coverage are percentages with one decimal, sent as decimal strings (``"87.5"``).
"""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class AlignmentItemPublic(BaseModel):
    """One standard in scope: the current answer, the previous review's answer, the rating."""

    model_config = ConfigDict(from_attributes=True)

    standard_id: UUID
    key: str
    category: str
    question: str
    priority: str
    expected_answer: str
    status: str
    answer: str | None
    rating: str | None
    note: str | None
    observed_at: datetime | None
    answered_by: str | None
    answered_revision: int | None
    current_revision: int
    standard_status: str
    previous_answer: str | None
    previous_revision: int | None
    previous_observed_at: datetime | None


class CategoryScorePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    category: str
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned: int
    not_applicable: int
    unanswered: int


class AlignmentPublic(BaseModel):
    """The client's latest review (open or completed), scored overall and per category."""

    model_config = ConfigDict(from_attributes=True)

    client_id: UUID
    client_name: str
    review_id: UUID | None
    review_number: int | None
    review_status: str | None
    started_at: datetime | None
    completed_at: datetime | None
    previous_review_id: UUID | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned_count: int
    not_applicable: int
    unanswered: int
    categories: list[CategoryScorePublic]
    items: list[AlignmentItemPublic]


class MisalignedPublic(BaseModel):
    """Misaligned items, most important first (priority, then unrated, then the worst rating)."""

    data: list[AlignmentItemPublic]
    count: int


class ScorePointPublic(BaseModel):
    """The score of one completed review, as its report showed it at the time."""

    model_config = ConfigDict(from_attributes=True)

    review_id: UUID
    review_number: int
    completed_at: datetime
    category: str | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned: int
    not_applicable: int
    unanswered: int


class ScoreHistoryPublic(BaseModel):
    """Points oldest first."""

    data: list[ScorePointPublic]
    count: int
