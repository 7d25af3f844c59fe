"""Review work lists: what waits for the TAM or the vCIO, and what is due before a meeting.

Both are read a page at a time (``limit``, then ``after`` = the page's ``next``, ``api/paging.py``)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from api.dependencies import ActorDep, FreshDep, ServicesDep
from api.paging import AfterQuery, LimitQuery, decode_cursor, next_cursor
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
    after: AfterQuery = None,
    limit: LimitQuery = 100,
) -> ReviewsUnderWayPublic:
    """List the reviews not finalised yet, oldest first, with whose turn each is, a page at a
    time."""
    cursor = None
    if after is not None:
        started_at, review_id = decode_cursor(after, (datetime, UUID))
        cursor = (started_at, UUID(str(review_id))) if isinstance(started_at, datetime) else None
    page = services.alignment.under_way_page(actor.tenant, waiting_for, cursor, limit)
    return ReviewsUnderWayPublic(
        data=[ReviewUnderWayPublic.model_validate(r) for r in page.reviews],
        count=len(page.reviews), next=next_cursor(page.reviews, limit, "started_at", "review_id"),
        total=page.total)


@router.get("/due-before-meetings")
def get_reviews_due(
    services: ServicesDep, actor: ActorDep, _: FreshDep,
    lead_days: Annotated[int | None, Query(
        ge=0, le=180, description="Days before the meeting the review should be done; default"
                                  " the MSP's review lead time (14 unless it set its own).")] = None,
    tam: Annotated[str | None, Query(max_length=200, description="Only this TAM's clients.")] = None,
    after: AfterQuery = None,
    limit: LimitQuery = 100,
) -> ReviewsDuePublic:
    """List the clients with standards due by their next strategy meeting, soonest first, a
    page at a time."""
    cursor = None
    if after is not None:
        review_by, name, client_id = decode_cursor(after, (date, str, UUID))
        cursor = ((review_by, str(name), UUID(str(client_id))) if isinstance(review_by, date)
                  else None)
    view = ReviewsDueView(services.client_directory, services.meeting_calendar)
    if lead_days is None:
        lead_days = services.msp_settings.review_lead_days(actor.tenant, services.clock())
    page = view.page(actor.tenant, services.clock().date(), lead_days, tam, cursor, limit)
    return ReviewsDuePublic(
        data=[ReviewDuePublic.model_validate(r) for r in page.reviews], count=len(page.reviews),
        next=next_cursor(page.reviews, limit, "review_by", "client_name", "client_id"),
        total=page.total)
