"""The format-neutral shape of an imported library, and what an import did."""

from dataclasses import dataclass, field
from enum import Enum

from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency, StandardStatus

ALL_TEXT_FIELDS = frozenset({
    "category", "question", "expected_answer", "how_to_check", "why_it_matters", "priority",
    "review_frequency", "authority_references"})


@dataclass(frozen=True)
class LibraryEntry:
    """One standard as a source states it. ``successors`` name the keys that replace a retired
    standard (several for a split)."""

    key: str
    category: str
    question: str
    how_to_check: str
    why_it_matters: str
    expected_answer: ExpectedAnswer = ExpectedAnswer.YES
    priority: Priority = Priority.MEDIUM
    review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL
    authority_references: tuple[str, ...] = ()
    status: StandardStatus = StandardStatus.PUBLISHED
    successors: tuple[str, ...] = ()
    retired_reason: str = ""

    def field_values(self) -> dict[str, object]:
        return {
            "category": self.category, "question": self.question,
            "expected_answer": self.expected_answer.value, "how_to_check": self.how_to_check,
            "why_it_matters": self.why_it_matters, "priority": self.priority.value,
            "review_frequency": self.review_frequency.value,
            "authority_references": list(self.authority_references),
        }


@dataclass(frozen=True)
class LibrarySource:
    """Entries read from one file. ``managed_fields`` are the fields the source is the authority
    for: a re-import revises only those (an OSCAL catalog says nothing about an MSP's priorities,
    so it never overwrites them)."""

    title: str
    entries: tuple[LibraryEntry, ...]
    managed_fields: frozenset[str] = ALL_TEXT_FIELDS


class Outcome(Enum):
    """What an import does (or, in a dry run, would do) to one entry's standard."""

    CREATED = "created"
    REVISED = "revised"
    PUBLISHED = "published"
    RETIRED = "retired"
    WITHDRAWN = "withdrawn"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass
class ImportSummary:
    """What an import did (or would do, when ``dry_run``), one outcome per entry (by key).

    ``retired`` are standards that were in force and are retired now; ``withdrawn`` are entries
    the source itself marks withdrawn and that enter the library already retired (they never were
    in force here). ``changes`` names the fields each revised standard changes; ``warnings``
    are objectivity concerns about the questions this import writes (key, advice)."""

    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def add(self, key: str, outcome: Outcome, note: str = "") -> None:
        if outcome is Outcome.SKIPPED:
            self.skipped.append((key, note))
        else:
            getattr(self, outcome.value).append(key)

    @property
    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "revised": len(self.revised),
                "published": len(self.published), "retired": len(self.retired),
                "withdrawn": len(self.withdrawn), "unchanged": len(self.unchanged),
                "skipped": len(self.skipped)}
