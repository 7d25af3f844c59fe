"""The format-neutral shape of an imported library, and what an import did."""

from dataclasses import dataclass, field

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


@dataclass
class ImportSummary:
    """What an import did, one outcome per entry (by key)."""

    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "revised": len(self.revised),
                "published": len(self.published), "retired": len(self.retired),
                "unchanged": len(self.unchanged), "skipped": len(self.skipped)}
