"""Versions of the library a replay can judge answers under (see ``projections.impact``).

- ``AsAnswered``: each answer judged against the revision it was given against (the numbers the
  reports showed; the default baseline);
- ``LibraryAsOf(at)``: the library as recorded at an instant;
- ``CurrentLibrary``: the library now;
- ``ProposedLibrary``: the library now with an unpublished change set laid over it, made from the
  change set by ``overlay_from_change_set``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from aggregates.change_set import (
    LibraryChangeSet,
    ProposedRetirement,
    ProposedRevision,
    ProposedWeightChange,
)


@dataclass(frozen=True)
class StandardOverride:
    """What a proposal changes about a standard's judgement (None: unchanged)."""

    category: str | None = None
    priority: str | None = None
    expected_answer: str | None = None
    retired: bool = False
    meaning_changed: bool = False


@dataclass(frozen=True)
class LibraryOverlay:
    title: str
    overrides: Mapping[UUID, StandardOverride] = field(default_factory=dict)
    added_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class AsAnswered:
    label = "as answered"


@dataclass(frozen=True)
class LibraryAsOf:
    at: datetime

    @property
    def label(self) -> str:
        return f"library as of {self.at.isoformat()}"


@dataclass(frozen=True)
class CurrentLibrary:
    label = "current library"


@dataclass(frozen=True)
class ProposedLibrary:
    overlay: LibraryOverlay

    @property
    def label(self) -> str:
        return f"proposed: {self.overlay.title}"


LibraryVersion = AsAnswered | LibraryAsOf | CurrentLibrary | ProposedLibrary


def overlay_from_change_set(change_set: LibraryChangeSet) -> LibraryOverlay:
    """The change set's proposals as changes to how answers are judged."""
    overrides: dict[UUID, StandardOverride] = {}
    for item in change_set.proposals_on_existing:
        if isinstance(item, ProposedRevision):
            overrides[item.standard_id] = StandardOverride(
                category=item.changes.get("category"), priority=item.changes.get("priority"),
                expected_answer=item.changes.get("expected_answer"),
                meaning_changed=item.meaning_changed)
        elif isinstance(item, ProposedWeightChange):
            overrides[item.standard_id] = StandardOverride(priority=item.priority.value)
        elif isinstance(item, ProposedRetirement):
            overrides[item.standard_id] = StandardOverride(retired=True)
    return LibraryOverlay(change_set.title, overrides,
                          tuple(n.key for n in change_set.new_standards))
