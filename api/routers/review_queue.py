"""Review work lists: what waits for the TAM or the vCIO, and what is due before a meeting."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.dependencies import ActorDep, FreshDep, ServicesDep
from api.schemas.review_queue import (
    ReviewDuePublic,
    ReviewsDuePublic,
    ReviewsUnderWayPublic,
    ReviewUnderWayPublic,
)
from projections.reviews_due import ReviewsDueView

router = APIRouter(prefix="/reviews", tags=["reviews"])

Waiting = Literal["to_answer", "to_rate", "to_finalise"]


@router.get("/under-way")
def get_reviews_under_way(
    services: ServicesDep, actor: ActorDep, _: FreshDep,
    waiting_for: Annotated[Waiting | None, Query(description="Only the reviews waiting for this.")] = None,
) -> ReviewsUnderWayPublic:
    """List the reviews not finalised yet, oldest first, with whose turn each is."""
    found = [r for r in services.alignment.reviews_under_way(actor.tenant)
             if waiting_for is None or r.waiting_for == waiting_for]
    return ReviewsUnderWayPublic(data=[ReviewUnderWayPublic.model_validate(r) for r in found],
                                 count=len(found))


@router.get("/due-before-meetings")
def get_reviews_due(
    services: ServicesDep, actor: ActorDep, _: FreshDep,
    lead_days: Annotated[int | None, Query(
        ge=0, le=180, description="Days before the meeting the review should be done; default"
                                  " the MSP's review lead time (14 unless it set its own).")] = None,
    tam: Annotated[str | None, Query(max_length=200, description="Only this TAM's clients.")] = None,
) -> ReviewsDuePublic:
    """List the clients with standards due by their next strategy meeting, soonest first."""
    view = ReviewsDueView(services.client_directory, services.meeting_calendar)
    if lead_days is None:
        lead_days = services.msp_settings.review_lead_days(actor.tenant, services.clock())
    found = view.reviews_due(actor.tenant, services.clock().date(), lead_days, tam)
    return ReviewsDuePublic(data=[ReviewDuePublic.model_validate(r) for r in found], count=len(found))
