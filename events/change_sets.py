"""Events of a proposed library change set: the committee's draft of new, revised, reweighted and
retired standards, prepared in private and published as one step.

Nothing here changes the library: only publishing does, by recording the standards' own events
(``StandardDrafted``, ``StandardRevised``, ``StandardRetired``...) in the same transaction as
``ChangeSetPublished``.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from events.base import TenantCreated, TenantEvent
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency


class ChangeSetOpened(TenantCreated):
    title: str
    reason: str
    by: str


class NewStandardProposed(TenantEvent):
    """A standard to add. ``standard_id`` is fixed now, so retirements in the same change set
    can name it as their successor before it exists."""

    item_id: UUID
    standard_id: UUID
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


class RevisionProposed(TenantEvent):
    """A revision of an existing standard, against the revision it had when proposed.
    ``changes`` maps each changed field to its new value (JSON-plain)."""

    item_id: UUID
    standard_id: UUID
    against_revision: int
    changes: dict[str, Any]
    reason: str
    meaning_changed: bool
    by: str


class WeightChangeProposed(TenantEvent):
    """A new priority (hence scoring weight) for an existing standard."""

    item_id: UUID
    standard_id: UUID
    against_revision: int
    priority: Priority
    reason: str
    by: str


class RetirementProposed(TenantEvent):
    """Retire a standard; ``successors`` may name library standards or new ones of this set."""

    item_id: UUID
    standard_id: UUID
    against_revision: int
    reason: str
    successors: list[UUID]
    by: str


class ProposalWithdrawn(TenantEvent):
    item_id: UUID
    by: str


class ChangeSetPublished(TenantEvent):
    """The change set took effect; the standards' events were recorded with this one."""

    published_at: datetime
    by: str


class ChangeSetDiscarded(TenantEvent):
    reason: str
    by: str
