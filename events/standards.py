"""Events in the life of a standard: drafted, published, revised, retired, reviewed."""

from datetime import datetime
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
    """The standard leaves the library, possibly replaced by one or several others.

    Version 2 added ``successors``: every standard that takes over from this one (a split names
    several). ``replaced_by`` stays the first successor, so readers of version 1 keep working;
    version-1 events take ``[replaced_by]`` (or nothing) as their successors.
    """

    class_version = 2

    reason: str
    replaced_by: UUID | None
    successors: list[UUID]
    by: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        replaced_by = state.get("replaced_by")
        state["successors"] = [replaced_by] if replaced_by is not None else []


class StandardReviewed(TenantEvent):
    """The committee looked at the standard and kept it as it is (the yearly library review).

    ``reviewed_at`` is the date of the committee's decision, which may precede its recording.
    """

    reviewed_at: datetime
    note: str
    by: str
