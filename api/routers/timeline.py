"""The audit timeline: who changed what about a client, when, from what to what, and why."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.dependencies import ActorDep, KnownClientIdDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.query_types import QueryMoment, QueryText
from api.schemas.timeline import TimelineEntryPublic, TimelinePublic

router = APIRouter(prefix="/clients/{client_id}/timeline", tags=["audit"], responses=RECORD_RESPONSES)


@router.get("")
def get_timeline(
    client_id: KnownClientIdDep,
    services: ServicesDep,
    actor: ActorDep,
    by: Annotated[QueryText | None, Query(alias="actor", description="Only changes by this person.")] = None,
    standard_id: Annotated[UUID | None, Query(description="Only changes about this standard.")] = None,
    category: Annotated[QueryText | None, Query(description="Only changes in this category.")] = None,
    since: Annotated[QueryMoment | None, Query(description="From this time (inclusive).")] = None,
    until: Annotated[QueryMoment | None, Query(description="Before this time (exclusive).")] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62, description=(
        "Continue after a page: the `next` of the page before (entries older than it)."))] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> TimelinePublic:
    """Read the client's audit timeline, newest first, optionally narrowed, a page at a time."""
    entries = services.audit.timeline(
        actor.tenant,
        client_id,
        actor=by,
        standard_id=standard_id,
        category=category,
        since=since,
        until=until,
        before=before,
        limit=limit,
    )
    return TimelinePublic(data=[TimelineEntryPublic.model_validate(e) for e in entries], count=len(entries),
                          next=entries[-1].position if len(entries) == limit else None)
