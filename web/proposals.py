"""A change set as the committee reads it on its page: each proposal in words (which standard,
what it changes, why), with the objectivity warnings of any question it would put in force.

The change set itself is read from the ledger (it is one small aggregate, as the API reads it);
the standards it names come from the library read model.
"""

from dataclasses import dataclass
from uuid import UUID

from aggregates.change_set import (
    LibraryChangeSet,
    Proposal,
    ProposedNewStandard,
    ProposedRetirement,
    ProposedRevision,
)
from commands.objectivity import ObjectivityWarning, objectivity_warnings
from projections.standards_library import StandardSummary, natural_key

Changes = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ProposalRow:
    """One proposal of a change set, in words."""

    item_id: UUID
    kind: str
    key: str
    question: str
    changes: Changes
    reason: str
    meaning_changed: bool
    warnings: tuple[ObjectivityWarning, ...]


def shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) or "none"
    return str(getattr(value, "value", value)).replace("_", " ")


def proposal_row(item: Proposal, library: dict[UUID, StandardSummary],
                 added: dict[UUID, ProposedNewStandard]) -> ProposalRow:
    def key_of(standard_id: UUID) -> str:
        found = library.get(standard_id) or added.get(standard_id)
        return found.key if found is not None else str(standard_id)[:8]

    if isinstance(item, ProposedNewStandard):
        text = item.text
        changes: Changes = (("category", text.category), ("aligned answer", shown(text.expected_answer)),
                            ("priority", shown(text.priority)), ("review", shown(text.review_frequency)))
        return ProposalRow(item.item_id, "new standard", item.key, text.question, changes,
                           "", True, tuple(objectivity_warnings(text.question, text.expected_answer.value)))
    current = library.get(item.standard_id)
    question = current.question if current else ""
    if isinstance(item, ProposedRevision):
        new_question = str(item.changes.get("question", question))
        expected = str(item.changes.get("expected_answer", current.expected_answer if current else "yes"))
        warnings = (tuple(objectivity_warnings(new_question, expected)) if item.meaning_changed else ())
        changes = tuple((name.replace("_", " "), shown(value))
                        for name, value in sorted(item.changes.items()))
        return ProposalRow(item.item_id, "revision", key_of(item.standard_id), question, changes,
                           item.reason, item.meaning_changed, warnings)
    if isinstance(item, ProposedRetirement):
        successors = ", ".join(key_of(s) for s in item.successors)
        changes = (("replaced by", successors),) if successors else ()
        return ProposalRow(item.item_id, "retirement", key_of(item.standard_id), question, changes,
                           item.reason, False, ())
    return ProposalRow(item.item_id, "weight change", key_of(item.standard_id), question,
                       (("priority", shown(item.priority)),), item.reason, False, ())


def proposal_rows(change_set: LibraryChangeSet, library: list[StandardSummary]) -> list[ProposalRow]:
    """The change set's proposals in key order (natural order, ``FW-2`` before ``FW-10``)."""
    by_id = {s.standard_id: s for s in library}
    added = {n.standard_id: n for n in change_set.new_standards}
    rows = [proposal_row(item, by_id, added) for item in change_set.items.values()]
    return sorted(rows, key=lambda r: (natural_key(r.key), r.kind))
