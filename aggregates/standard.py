"""The ``Standard`` aggregate: one objective yes/no question of an MSP's library, with its history.

Revisions are numbered from 1 (the draft). Each revision's full text is kept so that an answer
given against revision N can always be shown with the words it answered.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.errors import (
    InvalidValueError,
    NothingToReviseError,
    StandardNotDraftError,
    StandardRetiredError,
)
from aggregates.tenanted import TenantAggregate
from events import standards as ev
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus

REVISABLE_FIELDS = (
    "category",
    "question",
    "expected_answer",
    "how_to_check",
    "why_it_matters",
    "priority",
    "review_frequency",
    "authority_references",
)
MEANING_FIELDS = frozenset({"question", "expected_answer"})


@dataclass(frozen=True)
class StandardText:
    """What a standard said at one revision."""

    category: str
    question: str
    expected_answer: ExpectedAnswer
    how_to_check: str
    why_it_matters: str
    priority: Priority
    review_frequency: ReviewFrequency
    authority_references: tuple[str, ...]

    def with_changes(self, changes: dict[str, Any]) -> "StandardText":
        coerced = {name: coerce_field(name, value) for name, value in changes.items()}
        return replace(self, **coerced)

    def differences(self, changes: dict[str, Any]) -> dict[str, Any]:
        """The subset of ``changes`` that really differs from this text."""
        return {
            name: value
            for name, value in changes.items()
            if coerce_field(name, value) != getattr(self, name)
        }


def coerce_field(name: str, value: Any) -> Any:
    if name not in REVISABLE_FIELDS:
        raise InvalidValueError(
            name, f"is not a revisable field of a standard ({', '.join(REVISABLE_FIELDS)})")
    if name == "expected_answer":
        return ExpectedAnswer(value)
    if name == "priority":
        return Priority(value)
    if name == "review_frequency":
        return ReviewFrequency(value)
    if name == "authority_references":
        return tuple(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(name, "must be non-empty text")
    return value


class Standard(TenantAggregate):
    """A library standard with its lifecycle: draft, published, revised, retired."""

    StandardDrafted = ev.StandardDrafted
    StandardPublished = ev.StandardPublished
    StandardRevised = ev.StandardRevised
    StandardRetired = ev.StandardRetired
    StandardReviewed = ev.StandardReviewed

    @event(StandardDrafted)
    def __init__(
        self,
        *,
        tenant: str,
        key: str,
        category: str,
        question: str,
        expected_answer: ExpectedAnswer,
        how_to_check: str,
        why_it_matters: str,
        priority: Priority,
        review_frequency: ReviewFrequency,
        authority_references: list[str],
        by: str,
    ) -> None:
        self.tenant = tenant
        self.key = key
        self.status = StandardStatus.DRAFT
        self.revision = 1
        self.texts: dict[int, StandardText] = {
            1: StandardText(
                category=category,
                question=question,
                expected_answer=ExpectedAnswer(expected_answer),
                how_to_check=how_to_check,
                why_it_matters=why_it_matters,
                priority=Priority(priority),
                review_frequency=ReviewFrequency(review_frequency),
                authority_references=tuple(authority_references),
            )
        }
        self.replaced_by: UUID | None = None
        self.successors: tuple[UUID, ...] = ()
        self.retired_reason: str | None = None
        self.last_reviewed_at: datetime | None = None

    @property
    def text(self) -> StandardText:
        return self.texts[self.revision]

    @property
    def is_answerable(self) -> bool:
        return self.status is StandardStatus.PUBLISHED

    def check_is_draft(self) -> None:
        if self.status is not StandardStatus.DRAFT:
            raise StandardNotDraftError("status", f"standard is {self.status.value}, not draft")

    def check_is_not_retired(self) -> None:
        if self.status is StandardStatus.RETIRED:
            raise StandardRetiredError("status", "standard is retired")

    def publish(self, *, by: str) -> None:
        self.check_is_draft()
        self._published(by=by)

    @event(StandardPublished)
    def _published(self, by: str) -> None:
        self.status = StandardStatus.PUBLISHED

    def revise(self, *, changes: dict[str, Any], reason: str, by: str) -> None:
        self.check_is_not_retired()
        differences = self.text.differences(changes)
        if not differences:
            raise NothingToReviseError("changes", "no field differs from the current revision")
        if not reason.strip():
            raise InvalidValueError("reason", "a revision needs a reason")
        plain = {k: list(v) if isinstance(v, tuple) else getattr(v, "value", v)
                 for k, v in differences.items()}
        self._revised(
            revision=self.revision + 1,
            changes=plain,
            reason=reason,
            meaning_changed=bool(MEANING_FIELDS & plain.keys()),
            by=by,
        )

    @event(StandardRevised)
    def _revised(
        self, revision: int, changes: dict[str, Any], reason: str, meaning_changed: bool, by: str
    ) -> None:
        self.texts[revision] = self.text.with_changes(changes)
        self.revision = revision

    def retire(self, *, reason: str, replaced_by: UUID | None, by: str,
               successors: list[UUID] | None = None) -> None:
        """Retire the standard; ``successors`` names every standard taking over (a split names
        several, a merge retires several standards into the same one)."""
        self.check_is_not_retired()
        if not reason.strip():
            raise InvalidValueError("reason", "retiring a standard needs a reason")
        named = list(successors) if successors else ([replaced_by] if replaced_by else [])
        if replaced_by is not None and named[0] != replaced_by:
            raise InvalidValueError("replaced_by", "must be the first of the successors")
        if len(set(named)) != len(named):
            raise InvalidValueError("successors", "names the same standard twice")
        if self.id in named:
            raise InvalidValueError("successors", "a standard cannot replace itself")
        self._retired(reason=reason, replaced_by=named[0] if named else None, successors=named,
                      by=by)

    @event(StandardRetired)
    def _retired(self, reason: str, replaced_by: UUID | None, successors: list[UUID],
                 by: str) -> None:
        self.status = StandardStatus.RETIRED
        self.replaced_by = replaced_by
        self.successors = tuple(successors)
        self.retired_reason = reason

    def confirm_reviewed(self, *, reviewed_at: datetime, note: str, by: str) -> None:
        """Record that the committee reviewed the standard and kept it unchanged."""
        self.check_is_not_retired()
        self._reviewed(reviewed_at=reviewed_at, note=note, by=by)

    @event(StandardReviewed)
    def _reviewed(self, reviewed_at: datetime, note: str, by: str) -> None:
        self.last_reviewed_at = reviewed_at
