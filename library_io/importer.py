"""Turning library entries into standards commands: create, revise, publish, retire.

Matching is by key. A key already in the library (``existing``, from the library read model)
names its standard; any other key gets an id derived from the tenant and the key, so two imports
of the same new standard name the same aggregate even when the read model lags behind. The
plan compares each entry with the standard's current revision and issues a command only where
something differs, which makes a repeated import record nothing.
"""

from collections.abc import Callable, Mapping
from uuid import UUID

from pydantic import ValidationError

from aggregates.errors import InvalidValueError, NotFoundError
from aggregates.standard import Standard
from commands.bus import CommandBus
from commands.results import Actor
from commands.standards import (
    DraftStandard,
    PublishStandard,
    RetireStandard,
    ReviseStandard,
    SplitStandard,
)
from events.vocabulary import StandardStatus
from library_io.model import ImportSummary, LibraryEntry, LibrarySource

Progress = Callable[[int, int], None]


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
            details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            problems.append(f"entry {number} ({entry.key!r}): {details}")
    if problems:
        raise InvalidValueError("entries", " | ".join(problems[:20]))
    return drafts


class LibraryImport:
    """One import run: resolves keys to standards, then issues the commands."""

    def __init__(self, bus: CommandBus, actor: Actor, source: LibrarySource,
                 existing: Mapping[str, UUID]) -> None:
        self.bus = bus
        self.ledger = bus.ledger
        self.actor = actor
        self.source = source
        self.existing = existing
        self.ids: dict[str, UUID] = {}
        self.summary = ImportSummary()

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

    def run(self, progress: Progress | None = None) -> ImportSummary:
        drafts = check_entries(self.source)
        total, done = len(self.source.entries), 0
        retiring: list[LibraryEntry] = []
        for entry in self.source.entries:
            if entry.status is StandardStatus.RETIRED:
                self.ensure_exists(entry, drafts[entry.key])
                retiring.append(entry)
                continue
            self.bring_in_force(entry, drafts[entry.key])
            done += 1
            if progress:
                progress(done, total)
        for entry in retiring:
            self.retire(entry)
            done += 1
            if progress:
                progress(done, total)
        return self.summary

    def ensure_exists(self, entry: LibraryEntry, draft: DraftStandard) -> None:
        if self.find(entry.key) is None:
            self.bus.handle(draft, self.actor, idempotency_key=key_idempotency(entry.key))

    def bring_in_force(self, entry: LibraryEntry, draft: DraftStandard) -> None:
        standard = self.find(entry.key)
        if standard is None:
            self.bus.handle(draft, self.actor, idempotency_key=key_idempotency(entry.key))
            self.summary.created.append(entry.key)
            return
        if standard.status is StandardStatus.RETIRED:
            self.summary.skipped.append(
                (entry.key, "retired in the library but in force in the source; left retired"))
            return
        wanted = {k: v for k, v in entry.field_values().items() if k in self.source.managed_fields}
        changes = standard.text.differences(wanted)
        if changes:
            self.bus.handle(ReviseStandard.model_validate({
                "standard_id": standard.id, "changes": changes,
                "reason": f"imported from {self.source.title}", "expected_version": standard.version}),
                self.actor)
            self.summary.revised.append(entry.key)
            standard = self.ledger.load_standard(self.actor, standard.id)
        if entry.status is StandardStatus.PUBLISHED and standard.status is StandardStatus.DRAFT:
            self.bus.handle(PublishStandard(
                standard_id=standard.id, expected_version=standard.version), self.actor)
            if not changes:
                self.summary.published.append(entry.key)
            return
        if not changes:
            self.summary.unchanged.append(entry.key)

    def successors(self, entry: LibraryEntry) -> list[UUID]:
        """The standards in force that take over from ``entry``; a successor that is itself
        retired (in the source or in the library) hands over to its own successors."""
        by_key = {e.key: e for e in self.source.entries}
        found: list[UUID] = []
        seen: set[UUID] = {self.standard_id(entry.key)}
        pending: list[UUID] = [self.standard_id(key) for key in entry.successors]
        keys = {v: k for k, v in self.ids.items()}
        while pending:
            standard_id = pending.pop(0)
            if standard_id in seen:
                continue
            seen.add(standard_id)
            key = keys.get(standard_id)
            if key in by_key and by_key[key].status is StandardStatus.RETIRED:
                pending.extend(self.standard_id(k) for k in by_key[key].successors)
                keys = {v: k for k, v in self.ids.items()}
                continue
            try:
                standard = self.ledger.load_standard(self.actor, standard_id)
            except NotFoundError:
                continue
            if standard.status is StandardStatus.RETIRED:
                pending.extend(standard.successors)
            else:
                found.append(standard.id)
        return found

    def retire(self, entry: LibraryEntry) -> None:
        standard = self.ledger.load_standard(self.actor, self.standard_id(entry.key))
        if standard.status is StandardStatus.RETIRED:
            self.summary.unchanged.append(entry.key)
            return
        reason = entry.retired_reason or f"withdrawn from {self.source.title}"
        successors = self.successors(entry)
        if len(successors) > 1:
            self.bus.handle(SplitStandard(
                standard_id=standard.id, successors=successors, reason=reason,
                expected_version=standard.version), self.actor)
        else:
            self.bus.handle(RetireStandard(
                standard_id=standard.id, reason=reason,
                replaced_by=successors[0] if successors else None,
                expected_version=standard.version), self.actor)
        self.summary.retired.append(entry.key)


def import_library(bus: CommandBus, actor: Actor, source: LibrarySource,
                   existing: Mapping[str, UUID] | None = None,
                   progress: Progress | None = None) -> ImportSummary:
    """Create, revise, publish and retire standards so the library matches ``source``.

    ``existing`` maps keys already in the tenant's library to their standards (from the
    standards library read model); keys not in it are matched by their derived id.
    """
    return LibraryImport(bus, actor, source, existing or {}).run(progress)
