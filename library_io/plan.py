"""What an import would do, worked out before anything is recorded (the dry run).

Matching is by key. A key already in the library (``existing``, from the library read model)
names its standard; any other key gets an id derived from the tenant and the key, so two imports
of the same new standard name the same aggregate even when the read model lags behind. Each
entry is compared with its standard's current revision, and only a real difference becomes a
step that records something, which makes a repeated import record nothing. ``plan_import`` only
reads the ledger; ``importer.import_library`` carries the same plan out.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from aggregates.errors import InvalidValueError, NotFoundError
from aggregates.standard import Standard
from commands.ledger import Ledger
from commands.messages import reason
from commands.objectivity import objectivity_warnings
from commands.results import Actor
from commands.standards import DraftStandard
from events.vocabulary import StandardStatus
from library_io.model import ImportSummary, LibraryEntry, LibrarySource, Outcome


def key_idempotency(key: str) -> str:
    """The idempotency key of drafting the standard with this library key."""
    return f"library-key:{key}"


def draft_command(entry: LibraryEntry) -> DraftStandard:
    return DraftStandard(
        key=entry.key, category=entry.category, question=entry.question,
        expected_answer=entry.expected_answer, how_to_check=entry.how_to_check,
        why_it_matters=entry.why_it_matters, priority=entry.priority,
        review_frequency=entry.review_frequency,
        authority_references=list(entry.authority_references),
        publish=entry.status is StandardStatus.PUBLISHED)


def check_entries(source: LibrarySource) -> dict[str, DraftStandard]:
    """Validate every entry before anything is recorded: a bad row never leaves half an import."""
    drafts: dict[str, DraftStandard] = {}
    problems: list[str] = []
    for number, entry in enumerate(source.entries, start=1):
        if entry.key in drafts:
            problems.append(f"entry {number}: key {entry.key!r} appears twice")
            continue
        try:
            drafts[entry.key] = draft_command(entry)
        except ValidationError as error:
            details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {reason(e)}" for e in error.errors())
            problems.append(f"entry {number} ({entry.key!r}): {details}")
    if problems:
        raise InvalidValueError("entries", " | ".join(problems[:20]))
    return drafts


@dataclass(frozen=True)
class Step:
    """One entry's outcome, with the standard as it was found and the fields to change."""

    entry: LibraryEntry
    draft: DraftStandard
    outcome: Outcome
    standard: Standard | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def retires(self) -> bool:
        return self.outcome in (Outcome.RETIRED, Outcome.WITHDRAWN)


class LibraryPlan:
    """Resolves keys to standards and decides each entry's step; reads, never records."""

    def __init__(self, ledger: Ledger, actor: Actor, source: LibrarySource,
                 existing: Mapping[str, UUID]) -> None:
        self.ledger = ledger
        self.actor = actor
        self.source = source
        self.existing = existing
        self.ids: dict[str, UUID] = {}

    def standard_id(self, key: str) -> UUID:
        if key not in self.ids:
            self.ids[key] = self.existing.get(key) or self.ledger.new_id(
                self.actor, key_idempotency(key), "standard")
        return self.ids[key]

    def find(self, key: str) -> Standard | None:
        try:
            return self.ledger.load_standard(self.actor, self.standard_id(key))
        except NotFoundError:
            return None

    def steps(self) -> list[Step]:
        drafts = check_entries(self.source)
        return [self.step(entry, drafts[entry.key]) for entry in self.source.entries]

    def step(self, entry: LibraryEntry, draft: DraftStandard) -> Step:
        standard = self.find(entry.key)
        if entry.status is StandardStatus.RETIRED:
            if standard is None:
                return Step(entry, draft, Outcome.WITHDRAWN)
            retired = standard.status is StandardStatus.RETIRED
            return Step(entry, draft, Outcome.UNCHANGED if retired else Outcome.RETIRED, standard)
        if standard is None:
            return Step(entry, draft, Outcome.CREATED)
        if standard.status is StandardStatus.RETIRED:
            return Step(entry, draft, Outcome.SKIPPED, standard,
                        note="retired in the library but in force in the source; left retired")
        wanted = {k: v for k, v in entry.field_values().items() if k in self.source.managed_fields}
        changes = standard.text.differences(wanted)
        if changes:
            return Step(entry, draft, Outcome.REVISED, standard, changes)
        if entry.status is StandardStatus.PUBLISHED and standard.status is StandardStatus.DRAFT:
            return Step(entry, draft, Outcome.PUBLISHED, standard)
        return Step(entry, draft, Outcome.UNCHANGED, standard)


def summarise(steps: list[Step], dry_run: bool = False) -> ImportSummary:
    summary = ImportSummary(dry_run=dry_run)
    for step in sorted(steps, key=lambda s: s.retires):
        summary.add(step.entry.key, step.outcome, step.note)
        if step.changes:
            summary.changes[step.entry.key] = sorted(step.changes)
        if step.outcome in (Outcome.CREATED, Outcome.REVISED):
            summary.warnings.extend(
                (step.entry.key, warning.message) for warning in
                objectivity_warnings(step.entry.question, step.entry.expected_answer.value))
    return summary


def plan_import(ledger: Ledger, actor: Actor, source: LibrarySource,
                existing: Mapping[str, UUID] | None = None) -> ImportSummary:
    """The dry run: what importing ``source`` would create, revise, publish, retire, import as
    withdrawn and leave alone, with the objectivity warnings; records nothing."""
    return summarise(LibraryPlan(ledger, actor, source, existing or {}).steps(), dry_run=True)
