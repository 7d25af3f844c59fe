"""The standards committee's desk: library import and export, proposed change sets, replay and
impact analysis, and time travel (alignment and standards as of any instant).

Change sets are read from the ledger (a committee's draft is one small aggregate); everything
else reads the ``as_of`` and ``standards_library`` read models.
"""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from aggregates.errors import NotFoundError
from api.dependencies import (
    ActorDep,
    ApiServices,
    FreshAsOfDep,
    FreshInboxDep,
    FreshLibraryDep,
    FreshReplayDep,
    IdempotencyKeyDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.query_types import QueryMoment, QueryText
from api.schemas.committee import (
    AsOfAlignmentPublic,
    ChangeSetCreate,
    ChangeSetCreated,
    ChangeSetDiscard,
    ChangeSetPublic,
    ImpactPublic,
    ImportSummaryPublic,
    NewStandardProposal,
    ProposalCreated,
    RetirementProposal,
    Reviewed,
    RevisionProposal,
    Split,
    StandardAsOfPublic,
    StandardDuePublic,
    WeightProposal,
    change_set_public,
)
from api.schemas.common import Recorded, VersionCheck, to_command
from api.schemas.suggestions import ChangeSetsPublic, ChangeSetSummaryPublic
from commands.change_sets import (
    DiscardChangeSet,
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
    PublishChangeSet,
    WithdrawProposal,
    load_change_set,
)
from commands.standards import (
    ConfirmStandardReviewed,
    DraftStandard,
    SplitStandard,
)
from events.vocabulary import Priority, ReviewFrequency
from library_io.files import LibraryFormat, export_csv, library_keys, read_library_file
from library_io.importer import import_library
from library_io.plan import plan_import
from projections.as_of_view import AsOfView, Basis, StandardAsOf
from projections.impact import (
    AsAnswered,
    CurrentLibrary,
    ImpactView,
    LibraryAsOf,
    LibraryVersion,
    ProposedLibrary,
    overlay_from_change_set,
)

router = APIRouter(prefix="/committee", tags=["committee"], responses=RECORD_RESPONSES)


def get_as_of(services: ServicesDep) -> AsOfView:
    return services.as_of


def get_impact(services: ServicesDep) -> ImpactView:
    return ImpactView(services.reader)


AsOfDep = Annotated[AsOfView, Depends(get_as_of)]
ImpactDep = Annotated[ImpactView, Depends(get_impact)]
At = Annotated[QueryMoment | None, Query(description="The instant (ISO 8601 with offset); default now.")]


def instant(at: datetime | None) -> datetime:
    return at or datetime.now(UTC)


# --- bodies --------------------------------------------------------------------------------

@router.post("/library/import", dependencies=[sends(DraftStandard)],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {}, "application/json": {}, "application/xml": {}}}})
async def import_standards(
    request: Request, services: ServicesDep, actor: ActorDep,
    filename: Annotated[QueryText, Query(description="Its name; the extension tells the format.")] = "",
    file_format: Annotated[LibraryFormat | None, Query(alias="format")] = None,
    key_prefix: str = "", priority: Priority = Priority.MEDIUM,
    review_frequency: ReviewFrequency = ReviewFrequency.ANNUAL,
    dry_run: Annotated[bool, Query(description="Only say what would change; record nothing.")] = False,
) -> ImportSummaryPublic:
    """Import an OSCAL catalog (JSON or XML) or a CSV library sent as the request body
    (``dry_run`` answers what would be created, revised, retired and left alone)."""
    source = read_library_file(filename, await request.body(), file_format, key_prefix=key_prefix,
                               priority=priority, review_frequency=review_frequency)

    def run() -> Any:
        services.projectors["standards_library"].catch_up()
        existing = library_keys((s.key, s.standard_id, s.status)
                                for s in services.library.list_standards(actor.tenant))
        if dry_run:
            return plan_import(services.ledger, actor, source, existing)
        return import_library(services.bus, actor, source, existing)

    summary = await run_in_threadpool(run)
    return ImportSummaryPublic(source=source.title, created=summary.created, revised=summary.revised,
                               published=summary.published, retired=summary.retired,
                               withdrawn=summary.withdrawn, unchanged=len(summary.unchanged),
                               skipped=dict(summary.skipped), changes=summary.changes,
                               warnings=warnings_by_key(summary.warnings), dry_run=summary.dry_run)


def warnings_by_key(warnings: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, advice in warnings:
        grouped.setdefault(key, []).append(advice)
    return grouped


@router.get("/library/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def export_standards(services: ServicesDep, actor: ActorDep, _: FreshLibraryDep) -> Response:
    """Export the whole library (retired standards too) as CSV that imports back unchanged."""
    ids = [s.standard_id for s in services.library.list_standards(actor.tenant)]
    return Response(export_csv(services.ledger, actor, ids), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="library.csv"'})


# --- change sets ---------------------------------------------------------------------------

@router.post("/change-sets", status_code=status.HTTP_201_CREATED, dependencies=[sends(OpenChangeSet)])
def open_set(body: ChangeSetCreate, services: ServicesDep, actor: ActorDep,
             idempotency_key: IdempotencyKeyDep = None) -> ChangeSetCreated:
    """Open a proposed change set (nothing in the library changes until it is published)."""
    result = services.bus.handle(to_command(OpenChangeSet, body), actor, idempotency_key=idempotency_key)
    return ChangeSetCreated.of(result, change_set_id=result.aggregate_id)


@router.get("/change-sets")
def list_sets(
    services: ServicesDep, actor: ActorDep, _: FreshInboxDep,
    state: Annotated[str, Query(alias="status", pattern="^(open|published|discarded|all)$")] = "open",
) -> ChangeSetsPublic:
    """List change sets in a status (default open), newest first, with their number of proposals."""
    found = services.suggestion_inbox.change_sets(actor.tenant, None if state == "all" else state)
    return ChangeSetsPublic(data=[ChangeSetSummaryPublic.model_validate(c) for c in found], count=len(found))


@router.get("/change-sets/{change_set_id}")
def get_set(change_set_id: UUID, services: ServicesDep, actor: ActorDep) -> ChangeSetPublic:
    """Read a change set and its proposals."""
    return change_set_public(load_change_set(services.ledger, actor, change_set_id))


@router.post("/change-sets/{change_set_id}/new-standards", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(ProposeNewStandard)])
def propose_new(change_set_id: UUID, body: NewStandardProposal, services: ServicesDep,
                actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> ProposalCreated:
    """Propose a new standard (published with the change set)."""
    command = to_command(ProposeNewStandard, body, change_set_id=change_set_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return ProposalCreated.of(result, item_id=result.created_id)


@router.post("/change-sets/{change_set_id}/revisions", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(ProposeRevision)])
def propose_change(change_set_id: UUID, body: RevisionProposal, services: ServicesDep,
                   actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> ProposalCreated:
    """Propose a revision of a standard (the fields it changes, and why)."""
    command = to_command(ProposeRevision, body, change_set_id=change_set_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return ProposalCreated.of(result, item_id=result.created_id)


@router.post("/change-sets/{change_set_id}/weight-changes", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(ProposeWeightChange)])
def propose_weight(change_set_id: UUID, body: WeightProposal, services: ServicesDep,
                   actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> ProposalCreated:
    """Propose a new priority (scoring weight) for a standard."""
    command = to_command(ProposeWeightChange, body, change_set_id=change_set_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return ProposalCreated.of(result, item_id=result.created_id)


@router.post("/change-sets/{change_set_id}/retirements", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(ProposeRetirement)])
def propose_retire(change_set_id: UUID, body: RetirementProposal, services: ServicesDep,
                   actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> ProposalCreated:
    """Propose retiring a standard, replaced by library standards or new ones of this set."""
    command = to_command(ProposeRetirement, body, change_set_id=change_set_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return ProposalCreated.of(result, item_id=result.created_id)


@router.delete("/change-sets/{change_set_id}/items/{item_id}", dependencies=[sends(WithdrawProposal)])
def withdraw(change_set_id: UUID, item_id: UUID, services: ServicesDep, actor: ActorDep,
             idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Withdraw one proposal from an open change set."""
    command = WithdrawProposal(change_set_id=change_set_id, item_id=item_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/change-sets/{change_set_id}/publish", dependencies=[sends(PublishChangeSet)])
def publish(change_set_id: UUID, services: ServicesDep, actor: ActorDep,
            body: VersionCheck | None = None) -> Recorded:
    """Publish: every proposal takes effect in one step; publishing again records nothing."""
    command = to_command(PublishChangeSet, body, change_set_id=change_set_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock()))


@router.post("/change-sets/{change_set_id}/discard", dependencies=[sends(DiscardChangeSet)])
def discard(change_set_id: UUID, body: ChangeSetDiscard, services: ServicesDep,
            actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Discard an open change set (its proposals stay in the record, never applied)."""
    command = to_command(DiscardChangeSet, body, change_set_id=change_set_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


# --- replay and impact -----------------------------------------------------------------------

def library_version(services: ApiServices, actor: Any, against: str, at: datetime | None,
                    change_set_id: UUID | None) -> LibraryVersion:
    if against == "as_answered":
        return AsAnswered()
    if against == "as_of":
        return LibraryAsOf(instant(at))
    if against == "change_set":
        if change_set_id is None:
            raise NotFoundError("change_set_id", "name the change set to replay against")
        return ProposedLibrary(overlay_from_change_set(
            load_change_set(services.ledger, actor, change_set_id)))
    return CurrentLibrary()


@router.get("/replay")
def replay(
    services: ServicesDep, actor: ActorDep, impact: ImpactDep, _: FreshReplayDep,
    against: Annotated[str, Query(pattern="^(current|as_of|change_set)$")] = "current",
    baseline: Annotated[str, Query(pattern="^(as_answered|current|as_of)$")] = "as_answered",
    at: At = None, baseline_at: At = None, change_set_id: UUID | None = None,
    review_id: Annotated[list[UUID] | None, Query(description="Completed reviews; default each"
                                                   " client's latest.")] = None,
) -> ImpactPublic:
    """Re-score completed reviews: old and new score per client, items changing state, totals."""
    report = impact.replay(
        actor.tenant, library_version(services, actor, against, at, change_set_id),
        library_version(services, actor, baseline, baseline_at, None), review_id)
    return ImpactPublic.model_validate(report)


# --- time travel and library review ------------------------------------------------------------

@router.get("/clients/{client_id}/as-of")
def alignment_as_of(client_id: UUID, actor: ActorDep, view: AsOfDep, _: FreshAsOfDep, at: At = None,
                    basis: Basis = Basis.RECORDED) -> AsOfAlignmentPublic:
    """The client's alignment as it stood at an instant, by recorded or by observed time."""
    found = view.alignment(actor.tenant, client_id, instant(at), basis)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return AsOfAlignmentPublic.model_validate(found)


@router.get("/standards/due-for-review")
def due_for_review(actor: ActorDep, view: AsOfDep, _: FreshAsOfDep, at: At = None) -> list[StandardDuePublic]:
    """Standards in force the committee has not revised or reviewed for 12 months."""
    due = view.standards_due_for_review(actor.tenant, instant(at))
    return [StandardDuePublic.model_validate(s) for s in due]


@router.get("/standards/{standard_id}/as-of")
def standard_as_of(standard_id: UUID, actor: ActorDep, view: AsOfDep, _: FreshAsOfDep,
                   at: At = None) -> StandardAsOfPublic:
    """What a standard said at an instant: the revision in force and its whole text."""
    found: StandardAsOf | None = view.standard(actor.tenant, standard_id, instant(at))
    if found is None:
        raise NotFoundError("standard_id", "no standard with this id at that instant")
    return StandardAsOfPublic.model_validate(found)


@router.post("/standards/{standard_id}/reviewed", dependencies=[sends(ConfirmStandardReviewed)])
def mark_reviewed(standard_id: UUID, body: Reviewed, services: ServicesDep, actor: ActorDep,
                  idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Record that the committee reviewed a standard and keeps it unchanged."""
    command = to_command(ConfirmStandardReviewed, body, standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/standards/{standard_id}/split", dependencies=[sends(SplitStandard)])
def split(standard_id: UUID, body: Split, services: ServicesDep, actor: ActorDep,
          idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Retire a standard whose content now lives in several others."""
    command = to_command(SplitStandard, body, standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))
