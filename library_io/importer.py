"""Carrying out an import plan: the standards commands that create, revise, publish and retire.

The plan (``plan.LibraryPlan``) decides each entry's outcome from the ledger; this module sends
one command per real difference, standards in force first and retirements last (a retired
standard names its successors, which must exist by then). The summary it returns is the plan's
summary, so a dry run and the import it previews report the same thing.
"""

from collections.abc import Callable, Mapping
from uuid import UUID

from aggregates.errors import NotFoundError
from commands.bus import CommandBus
from commands.results import Actor
from commands.standards import PublishStandard, RetireStandard, ReviseStandard, SplitStandard
from events.vocabulary import StandardStatus
from library_io.model import ImportSummary, LibraryEntry, LibrarySource, Outcome
from library_io.plan import LibraryPlan, Step, key_idempotency, summarise

__all__ = ["LibraryImport", "Progress", "import_library", "key_idempotency"]

Progress = Callable[[int, int], None]


class LibraryImport(LibraryPlan):
    """One import run: plans, then issues the commands."""

    def __init__(self, bus: CommandBus, actor: Actor, source: LibrarySource,
                 existing: Mapping[str, UUID]) -> None:
        super().__init__(bus.ledger, actor, source, existing)
        self.bus = bus

    def run(self, progress: Progress | None = None) -> ImportSummary:
        steps = self.steps()
        total = len(steps)
        for done, step in enumerate(sorted(steps, key=lambda s: s.retires), start=1):
            if step.retires:
                self.retire(step)
            else:
                self.bring_in_force(step)
            if progress:
                progress(done, total)
        return summarise(steps)

    def bring_in_force(self, step: Step) -> None:
        if step.outcome is Outcome.CREATED:
            self.bus.handle(step.draft, self.actor, idempotency_key=key_idempotency(step.entry.key))
            return
        standard = step.standard
        if standard is None or step.outcome not in (Outcome.REVISED, Outcome.PUBLISHED):
            return
        version = standard.version
        if step.changes:
            self.bus.handle(ReviseStandard(
                standard_id=standard.id, changes=step.changes,
                reason=f"imported from {self.source.title}", expected_version=version), self.actor)
            version = self.ledger.load_standard(self.actor, standard.id).version
        if step.entry.status is StandardStatus.PUBLISHED and standard.status is StandardStatus.DRAFT:
            self.bus.handle(PublishStandard(standard_id=standard.id, expected_version=version),
                            self.actor)

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

    def retire(self, step: Step) -> None:
        entry = step.entry
        if step.outcome is Outcome.WITHDRAWN:
            self.bus.handle(step.draft, self.actor, idempotency_key=key_idempotency(entry.key))
        standard = self.ledger.load_standard(self.actor, self.standard_id(entry.key))
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


def import_library(bus: CommandBus, actor: Actor, source: LibrarySource,
                   existing: Mapping[str, UUID] | None = None,
                   progress: Progress | None = None) -> ImportSummary:
    """Create, revise, publish and retire standards so the library matches ``source``.

    ``existing`` maps keys already in the tenant's library to their standards (from the
    standards library read model); keys not in it are matched by their derived id. To see the
    same summary without recording anything, call ``plan.plan_import``.
    """
    return LibraryImport(bus, actor, source, existing or {}).run(progress)
