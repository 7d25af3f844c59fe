"""The vCIO dashboard: each vCIO's and the MSP's figures over a chosen period."""

from typing import Annotated

from fastapi import APIRouter, Query

from aggregates.errors import InvalidValueError
from api.dependencies import ActorDep, FreshDashboardDep, ServicesDep
from api.query_types import QueryDay, QueryText
from api.schemas.strategy_public import DashboardPublic
from projections.fiscal import Period

router = APIRouter(prefix="/vcio-dashboard", tags=["vcio dashboard"])


@router.get("")
def get_dashboard(
    services: ServicesDep, actor: ActorDep, _: FreshDashboardDep,
    start: Annotated[QueryDay, Query(description="First day of the period.")],
    end: Annotated[QueryDay, Query(description="Day after the period's last.")],
    today: Annotated[QueryDay | None, Query(description="Anchors the year ahead and overdue items.")] = None,
    vcio: Annotated[QueryText | None, Query(description="One vCIO only.")] = None,
) -> DashboardPublic:
    """Read clients, MRR, meetings, touches, non-recurring revenue share, backlog, reviews,
    budgets, action items and overdue review areas, per vCIO and for the MSP."""
    if end <= start:
        raise InvalidValueError("end", "must be after start")
    targets = services.msp_settings.target_bands(actor.tenant, services.clock())
    found = services.vcio_dashboard.dashboard(actor.tenant, Period(start, end),
                                              today or services.clock().date(), vcio, targets)
    return DashboardPublic.model_validate(found)
