"""The standards library: the committee drafts, publishes, revises and retires; everyone reads."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, status

from aggregates.errors import NotFoundError
from api.dependencies import (
    ActorDep,
    FreshLibraryDep,
    FreshTimelineDep,
    IdempotencyKeyDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.paging import AfterQuery, LimitQuery, decode_cursor, next_cursor
from api.query_types import QueryText
from api.schemas.common import Recorded, VersionCheck, to_command
from api.schemas.standards import (
    CategoriesPublic,
    CategoryPublic,
    StandardCreate,
    StandardCreated,
    StandardPublic,
    StandardRetire,
    StandardRevise,
    StandardsPublic,
    StandardSummaryPublic,
)
from api.schemas.timeline import TimelineEntryPublic, TimelinePublic
from commands.standards import (
    DraftStandard,
    PublishStandard,
    RetireStandard,
    ReviseStandard,
)
from events.vocabulary import StandardStatus
from projections.standards_library import StandardCursor

router = APIRouter(prefix="/standards", tags=["standards"], responses=RECORD_RESPONSES)


@router.get("")
def list_standards(
    services: ServicesDep,
    actor: ActorDep,
    _: FreshLibraryDep,
    category: Annotated[QueryText | None, Query(description="Only this category.")] = None,
    lifecycle: Annotated[
        StandardStatus | None, Query(alias="status", description="Only this lifecycle status.")
    ] = None,
    after: AfterQuery = None,
    limit: LimitQuery = 500,
) -> StandardsPublic:
    """List the library, ordered by category and key (natural order: ac-2 before ac-14), a page
    at a time."""
    cursor = None
    if after is not None:
        after_category, key, standard_id = decode_cursor(after, (str, str, UUID))
        cursor = StandardCursor(str(after_category), str(key), UUID(str(standard_id)))
    wanted = lifecycle.value if lifecycle else None
    found = services.library.list_standards(
        actor.tenant, category=category, status=wanted, after=cursor, limit=limit)
    return StandardsPublic(
        data=[StandardSummaryPublic.model_validate(s) for s in found], count=len(found),
        next=next_cursor(found, limit, "category", "key", "standard_id"),
        total=services.library.count_standards(actor.tenant, category=category, status=wanted))


@router.get("/categories")
def list_categories(services: ServicesDep, actor: ActorDep, _: FreshLibraryDep) -> CategoriesPublic:
    """List the categories in use, with how many standards are published and in draft."""
    found = services.library.categories(actor.tenant)
    return CategoriesPublic(data=[CategoryPublic.model_validate(c) for c in found], count=len(found))


@router.get("/by-key/{key}")
def get_standard_by_key(key: Annotated[str, Path(max_length=64)], services: ServicesDep,
                        actor: ActorDep, _: FreshLibraryDep) -> StandardPublic:
    """Read one standard by its key (``FW-001``), as it stands now, with every revision."""
    found = services.library.get_standard_by_key(actor.tenant, key)
    if found is None:
        raise NotFoundError("key", "no standard with this key")
    return StandardPublic.model_validate(found)


@router.get("/{standard_id}")
def get_standard(standard_id: UUID, services: ServicesDep, actor: ActorDep,
                 _: FreshLibraryDep) -> StandardPublic:
    """Read one standard as it stands now, with every revision and its reason."""
    found = services.library.get_standard(actor.tenant, standard_id)
    if found is None:
        raise NotFoundError("standard_id", "no standard with this id")
    return StandardPublic.model_validate(found)


@router.get("/{standard_id}/timeline")
def get_standard_timeline(
    standard_id: UUID, services: ServicesDep, actor: ActorDep, _: FreshTimelineDep
) -> TimelinePublic:
    """Read the committee's trail of one standard (drafted, published, revised, retired)."""
    entries = services.audit.standard_timeline(actor.tenant, standard_id)
    if not entries:
        raise NotFoundError("standard_id", "no standard with this id")
    return TimelinePublic(data=[TimelineEntryPublic.model_validate(e) for e in entries], count=len(entries))


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(DraftStandard)])
def draft(
    body: StandardCreate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> StandardCreated:
    """Draft a new standard (and publish it at once when `publish` is true)."""
    result = services.bus.handle(to_command(DraftStandard, body), actor, idempotency_key=idempotency_key)
    return StandardCreated.of(result, standard_id=result.aggregate_id)


@router.post("/{standard_id}/publish", dependencies=[sends(PublishStandard)])
def publish(
    standard_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    body: VersionCheck | None = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Publish a draft, so reviews can answer it."""
    command = to_command(PublishStandard, body, standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{standard_id}/revise", dependencies=[sends(ReviseStandard)])
def revise(
    standard_id: UUID,
    body: StandardRevise,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Revise a standard: the next numbered revision, with the fields it changes and why."""
    command = to_command(
        ReviseStandard,
        body,
        standard_id=standard_id,
        changes=body.changes.model_dump(mode="json", exclude_unset=True),
    )
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{standard_id}/retire", dependencies=[sends(RetireStandard)])
def retire(
    standard_id: UUID,
    body: StandardRetire,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Retire a standard, optionally naming the standard that replaces it."""
    command = to_command(RetireStandard, body, standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))
