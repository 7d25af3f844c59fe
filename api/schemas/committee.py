"""Request and response schemas of the standards committee's routes."""

from typing import Any
from uuid import UUID

from pydantic import BaseModel

import api.schemas.alignment  # noqa: F401  declares the category scores AsOfAlignment nests
from aggregates.change_set import LibraryChangeSet, ProposedNewStandard, ProposedRetirement
from api.schemas.common import CommandBody, Recorded, ViewModel
from commands.change_sets import (
    DiscardChangeSet,
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
)
from commands.standards import ConfirmStandardReviewed, SplitStandard
from projections.as_of_view import AsOfAlignment, AsOfItem, StandardAsOf, StandardDue
from projections.impact import ClientImpact, ImpactReport, ItemChange, MspImpact


class ChangeSetCreate(CommandBody, command=OpenChangeSet):
    """A new change set: proposals gathered under one title, published (or discarded) together."""


class ChangeSetCreated(Recorded):
    change_set_id: UUID


class ProposalCreated(Recorded):
    item_id: UUID | None


class NewStandardProposal(CommandBody, command=ProposeNewStandard, path=("change_set_id",)):
    """A new standard, to be drafted and published when the change set is."""


class ChangeSetDiscard(CommandBody, command=DiscardChangeSet, path=("change_set_id",)):
    """Discard the change set and its proposals, and say why."""


class RevisionProposal(CommandBody, command=ProposeRevision, path=("change_set_id",)):
    """A revision of a standard: the fields it would change, and why."""


class WeightProposal(CommandBody, command=ProposeWeightChange, path=("change_set_id",)):
    """A new priority (weight) for a standard, and why."""


class RetirementProposal(CommandBody, command=ProposeRetirement, path=("change_set_id",)):
    """The retirement of a standard, possibly replaced by its successors."""


class Split(CommandBody, command=SplitStandard, path=("standard_id",)):
    """One standard retired in favour of two or more successors."""


class Reviewed(CommandBody, command=ConfirmStandardReviewed, path=("standard_id",)):
    """The committee looked at the standard and keeps it as it is."""


class ImportSummaryPublic(BaseModel):
    """What an import did (or would do). Its own model: the summary lists unchanged keys (only
    counted here), skipped entries and objectivity warnings as pairs (mappings by key here), and
    the source's title is added."""

    source: str
    created: list[str]
    revised: list[str]
    published: list[str]
    retired: list[str]
    withdrawn: list[str]
    unchanged: int
    skipped: dict[str, str]
    changes: dict[str, list[str]]
    warnings: dict[str, list[str]]
    dry_run: bool


class ChangeSetItemPublic(BaseModel):
    """One proposal of a change set. Its own model: the aggregate's proposals differ by kind;
    ``detail`` holds the fields of each kind."""

    item_id: UUID
    kind: str
    standard_id: UUID
    detail: dict[str, Any]


class ChangeSetPublic(BaseModel):
    """A change set as the aggregate holds it (there is no read model of change sets)."""

    change_set_id: UUID
    title: str
    reason: str
    status: str
    version: int
    items: list[ChangeSetItemPublic]


class ItemChangePublic(ViewModel, view=ItemChange):
    """A standard whose state (aligned, misaligned, ...) a replay changes for one client."""


class ClientImpactPublic(ViewModel, view=ClientImpact):
    """One client's score before and after a replay, and the items that change."""


class MspImpactPublic(ViewModel, view=MspImpact):
    """Totals across the MSP; averages are over clients with a score, to one decimal."""


class ImpactPublic(ViewModel, view=ImpactReport):
    """What replaying the latest reviews against another library would change."""


class StandardAsOfPublic(ViewModel, view=StandardAsOf):
    """A standard as it read at a past instant, with its last change before it."""


class AsOfItemPublic(ViewModel, view=AsOfItem):
    """One standard of a client's alignment at a past instant."""


class AsOfAlignmentPublic(ViewModel, view=AsOfAlignment):
    """A client's alignment as it stood (or as it is now known to have stood) at an instant."""


class StandardDuePublic(ViewModel, view=StandardDue):
    """A standard the committee has not decided on (revised or reviewed) for too long."""


def change_set_public(change_set: LibraryChangeSet) -> ChangeSetPublic:
    def item(proposal: Any) -> ChangeSetItemPublic:
        detail = {k: v for k, v in vars(proposal).items() if k not in ("item_id", "standard_id")}
        if isinstance(proposal, ProposedNewStandard):
            detail = {"key": proposal.key, **{k: getattr(v, "value", v)
                                             for k, v in vars(proposal.text).items()}}
        if isinstance(proposal, ProposedRetirement):
            detail["successors"] = [str(s) for s in proposal.successors]
        kind = type(proposal).__name__.removeprefix("Proposed")
        return ChangeSetItemPublic(item_id=proposal.item_id, kind=kind,
                                   standard_id=proposal.standard_id,
                                   detail={k: getattr(v, "value", v) for k, v in detail.items()})

    return ChangeSetPublic(change_set_id=change_set.id, title=change_set.title,
                           reason=change_set.reason, status=change_set.status,
                           version=change_set.version,
                           items=[item(i) for i in change_set.items.values()])


# --- import and export -------------------------------------------------------------------
