"""The vCIO dashboard: each vCIO's and the MSP's figures over a chosen period."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from aggregates.errors import InvalidValueError
from api.dependencies import ActorDep, FreshDashboardDep, ServicesDep
from api.paging import AfterQuery, LimitQuery, decode_cursor, encode_cursor
from api.query_types import QueryDay, QueryText
from api.schemas.strategy_public import DashboardPublic, OverdueAreaPublic, OverdueAreasPublic
from projections.fiscal import Period
from projections.vcio_dashboard_figures import AreaCursor

router = APIRouter(prefix="/vcio-dashboard", tags=["vcio dashboard"])


@router.get("", response_model=DashboardPublic)
def get_dashboard(
    services: ServicesDep, actor: ActorDep, _: FreshDashboardDep,
    start: Annotated[QueryDay, Query(description="First day of the period.")],
    end: Annotated[QueryDay, Query(description="Day after the period's last.")],
    today: Annotated[QueryDay | None, Query(description="Anchors the year ahead and overdue items.")] = None,
    vcio: Annotated[QueryText | None, Query(description="One vCIO only.")] = None,
) -> Response:
    """Read clients, MRR, meetings, touches, non-recurring revenue share, backlog, reviews,
    budgets, action items and how many review areas are overdue, per vCIO and for the MSP."""
    if end <= start:
        raise InvalidValueError("end", "must be after start")
    now = services.clock()
    found = services.vcio_dashboard.dashboard_in_force(
        services.msp_settings, actor.tenant, Period(start, end), today or now.date(), vcio, now)
    # Rendered here, once: returned as a model, it would be validated again, in another
    # thread-pool hop, before being rendered (the document still says ``DashboardPublic``).
    return Response(DashboardPublic.model_validate(found).model_dump_json(by_alias=True),
                    media_type="application/json")


@router.get("/overdue-areas")
def list_overdue_areas(
    services: ServicesDep, actor: ActorDep, _: FreshDashboardDep,
    today: Annotated[QueryDay | None, Query(description="Overdue as of this day.")] = None,
    vcio: Annotated[QueryText | None, Query(description="One vCIO's clients only.")] = None,
    after: AfterQuery = None,
    limit: LimitQuery = 100,
) -> OverdueAreasPublic:
    """List the active clients' overdue review areas by client name, a page at a time."""
    cursor = None
    if after is not None:
        name, client_id, category = decode_cursor(after, (str, UUID, str))
        cursor = AreaCursor(str(name), UUID(str(client_id)), str(category))
    found = services.vcio_dashboard.overdue_areas(
        actor.tenant, today or services.clock().date(), vcio, cursor, limit)
    last = found[-1] if len(found) == limit else None
    return OverdueAreasPublic(
        data=[OverdueAreaPublic.model_validate(a) for a in found], count=len(found),
        next=encode_cursor(last.client_name, last.client_id, last.category) if last else None)
