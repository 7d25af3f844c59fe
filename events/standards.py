"""Events in the life of a standard: drafted, published, revised, retired."""

from typing import Any
from uuid import UUID

from events.base import TenantCreated, TenantEvent
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency


class StandardDrafted(TenantCreated):
    key: str
    category: str
    question: str
    expected_answer: ExpectedAnswer
    how_to_check: str
    why_it_matters: str
    priority: Priority
    review_frequency: ReviewFrequency
    authority_references: list[str]
    by: str


class StandardPublished(TenantEvent):
    by: str


class StandardRevised(TenantEvent):
    """A numbered revision. ``changes`` maps each changed field to its new value (JSON-plain)."""

    revision: int
    changes: dict[str, Any]
    reason: str
    meaning_changed: bool
    by: str


class StandardRetired(TenantEvent):
    reason: str
    replaced_by: UUID | None
    by: str
