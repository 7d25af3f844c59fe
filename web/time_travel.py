"""Looking back and sideways: a client's answers as they stood on a past day, and the replay of
completed reviews against the current (or a proposed) library.

Both read the ``as_of`` read model (``projections.as_of``; ``projections.impact`` reads its
tables too). They are offered only when the application runs that read model, which the pages
find out from ``services.projectors``; until then the overview shows the scores recorded at the
time and the committee page says the impact table is not available. Their modules are imported
only once the read model runs, so the dashboard does not depend on them before they are wired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from commands.results import Actor
from projections.client_alignment import PRIORITY_RANK
from web.ports import WebServices

if TYPE_CHECKING:
    from projections.as_of_view import AsOfAlignment, AsOfItem
    from projections.impact import ImpactReport, LibraryVersion

AS_OF_READ_MODEL = "as_of"
# The two clocks of ``projections.as_of``: observed includes corrections entered later.
BASES = {"observed": "as observed then", "recorded": "as recorded then"}


@dataclass(frozen=True)
class AnswersThen:
    """A client's answers as they stood on a past day, on the chosen clock."""

    alignment: AsOfAlignment
    basis: str

    @property
    def misaligned(self) -> list[AsOfItem]:
        found = [i for i in self.alignment.items if i.status == "misaligned"]
        return sorted(found, key=lambda i: (PRIORITY_RANK.get(i.priority, 9), i.key))


def is_available(services: WebServices) -> bool:
    return AS_OF_READ_MODEL in services.projectors


def answers_then(services: WebServices, actor: Actor, client_id: UUID, at: datetime,
                 basis: str) -> AnswersThen | None:
    if not is_available(services):
        return None
    from projections.as_of_view import Basis

    found = services.as_of.alignment(actor.tenant, client_id, at, Basis(basis))
    return AnswersThen(found, basis) if found else None


def replay(services: WebServices, actor: Actor, change_set_id: UUID | None) -> ImpactReport | None:
    """Each client's latest completed review as answered, against the current library, or
    against the current library with the proposed change set laid over it."""
    if not is_available(services):
        return None
    from commands.change_sets import load_change_set
    from projections.impact import CurrentLibrary, ImpactView, ProposedLibrary, overlay_from_change_set

    target: LibraryVersion = CurrentLibrary()
    if change_set_id is not None:
        change_set = load_change_set(services.ledger, actor, change_set_id)
        target = ProposedLibrary(overlay_from_change_set(change_set))
    return ImpactView(services.reader).replay(actor.tenant, target)
