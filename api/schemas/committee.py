"""Request and response schemas of the standards committee's routes."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from aggregates.change_set import LibraryChangeSet, ProposedNewStandard, ProposedRetirement
from api.schemas.common import Body, Recorded, VersionCheck
from commands.standards import (
    DraftStandard,
    Text,
)
from events.vocabulary import Priority
from projections.as_of import Basis


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ChangeSetCreate(Body):
    title: str
    reason: Text


class ChangeSetCreated(Recorded):
    change_set_id: UUID


class ProposalCreated(Recorded):
    item_id: UUID | None


class NewStandardProposal(VersionCheck):
    standard: DraftStandard


class ChangeSetDiscard(VersionCheck):
    reason: Text


class RevisionProposal(VersionCheck):
    standard_id: UUID
    changes: dict[str, Any]
    reason: Text


class WeightProposal(VersionCheck):
    standard_id: UUID
    priority: Priority
    reason: Text


class RetirementProposal(VersionCheck):
    standard_id: UUID
    reason: Text
    successors: list[UUID] = []


class Split(VersionCheck):
    successors: list[UUID]
    reason: Text


class Reviewed(VersionCheck):
    reviewed_at: datetime | None = None
    note: str = ""


class ImportSummaryPublic(BaseModel):
    source: str
    created: list[str]
    revised: list[str]
    published: list[str]
    retired: list[str]
    unchanged: int
    skipped: dict[str, str]


class ChangeSetItemPublic(BaseModel):
    item_id: UUID
    kind: str
    standard_id: UUID
    detail: dict[str, Any]


class ChangeSetPublic(BaseModel):
    change_set_id: UUID
    title: str
    reason: str
    status: str
    version: int
    items: list[ChangeSetItemPublic]


class ItemChangePublic(Public):
    standard_id: UUID
    key: str
    old_state: str
    new_state: str


class ClientImpactPublic(Public):
    client_id: UUID
    client_name: str
    review_id: UUID
    old_score: Decimal | None
    new_score: Decimal | None
    delta: Decimal | None
    changes: list[ItemChangePublic]


class MspImpactPublic(Public):
    clients: int
    clients_changed: int
    items_changed: int
    transitions: dict[str, int]
    average_old: Decimal | None
    average_new: Decimal | None
    average_delta: Decimal | None


class ImpactPublic(Public):
    baseline: str
    target: str
    clients: list[ClientImpactPublic]
    total: MspImpactPublic


class StandardAsOfPublic(Public):
    standard_id: UUID
    key: str
    status: str
    revision: int
    category: str
    question: str
    expected_answer: str
    how_to_check: str
    why_it_matters: str
    priority: str
    review_frequency: str
    authority_references: list[str]
    successors: list[UUID]
    last_change: str
    last_changed_at: datetime
    last_changed_by: str
    last_reason: str


class AsOfItemPublic(Public):
    standard_id: UUID
    key: str
    category: str
    priority: str
    expected_answer: str
    status: str
    answer: str | None
    rating: str | None
    note: str | None
    observed_at: datetime | None
    recorded_at: datetime | None
    answered_by: str | None
    answered_revision: int | None
    question: str
    revision_in_force: int
    question_in_force: str
    meaning_changed_since_answer: bool
    standard_status: str
    previous_answer: str | None
    previous_revision: int | None
    previous_question: str | None
    previous_from_standard_id: UUID | None
    previous_from_key: str | None


class AsOfAlignmentPublic(Public):
    client_id: UUID
    client_name: str
    as_of: datetime
    basis: Basis
    review_id: UUID | None
    review_number: int | None
    review_status: str | None
    previous_review_id: UUID | None
    score: Decimal | None
    coverage: Decimal | None
    answered: int
    aligned: int
    misaligned_count: int
    not_applicable: int
    unanswered: int
    items: list[AsOfItemPublic]


class StandardDuePublic(Public):
    standard_id: UUID
    key: str
    category: str
    last_decided_at: datetime


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
