"""Standards library bodies: what the committee sends, and the library as readers see it."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Body, Recorded, VersionCheck
from commands.standards import DraftStandard, Text
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency


class StandardCreate(DraftStandard):
    """A new standard, drafted (or drafted and published at once with ``publish: true``)."""


class StandardChanges(Body):
    """The fields a revision changes; fields left out keep their current value."""

    category: str | None = Field(default=None, min_length=1, max_length=80)
    question: Text | None = None
    expected_answer: ExpectedAnswer | None = None
    how_to_check: Text | None = None
    why_it_matters: Text | None = None
    priority: Priority | None = None
    review_frequency: ReviewFrequency | None = None
    authority_references: list[str] | None = None


class StandardRevise(VersionCheck):
    changes: StandardChanges
    reason: Text


class StandardRetire(VersionCheck):
    reason: Text
    replaced_by: UUID | None = None


class StandardCreated(Recorded):
    standard_id: UUID


class StandardSummaryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    standard_id: UUID
    key: str
    category: str
    question: str
    expected_answer: str
    priority: str
    review_frequency: str
    status: str
    revision: int
    updated_at: datetime


class StandardsPublic(BaseModel):
    data: list[StandardSummaryPublic]
    count: int


class StandardRevisionPublic(BaseModel):
    """One numbered revision: what changed, why, who decided, and the whole text it set."""

    model_config = ConfigDict(from_attributes=True)

    revision: int
    changed_fields: list[str]
    reason: str
    meaning_changed: bool
    decided_by: str
    recorded_at: datetime
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: list[str]


class StandardPublic(BaseModel):
    """A standard as it stands now, with its revision history oldest first."""

    model_config = ConfigDict(from_attributes=True)

    standard_id: UUID
    key: str
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: list[str]
    status: str
    revision: int
    replaced_by: UUID | None
    retired_reason: str | None
    drafted_at: datetime
    updated_at: datetime
    revisions: list[StandardRevisionPublic]


class CategoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    category: str
    published: int
    drafts: int


class CategoriesPublic(BaseModel):
    data: list[CategoryPublic]
    count: int
