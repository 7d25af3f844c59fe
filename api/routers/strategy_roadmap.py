"""Roadmap and budget: a client's recommendations by fiscal quarter with their money, and the
MSP's approved and proposed spending month by month, each in the MSP's currency in force now."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from aggregates.errors import InvalidValueError, NotFoundError
from api.dependencies import ActorDep, FreshBudgetDep, FreshRoadmapDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.query_types import QueryDay
from api.schemas.strategy_public import BudgetPublic, ClientRoadmapPublic
from events.vocabulary import RecommendationStatus
from projections.fiscal import month_start

router = APIRouter(tags=["roadmap and budget"], responses=RECORD_RESPONSES)

TodayQuery = Annotated[
    QueryDay | None, Query(description="The first quarter is the one containing this day.")]
QuartersQuery = Annotated[int, Query(ge=4, le=12, description="Fiscal quarters ahead (4-12).")]


@router.get("/clients/{client_id}/roadmap")
def get_roadmap(
    client_id: UUID, services: ServicesDep, actor: ActorDep, _: FreshRoadmapDep,
    today: TodayQuery = None, quarters: QuartersQuery = 4,
    status: Annotated[list[RecommendationStatus] | None,
                      Query(description="Only these statuses (repeat the parameter).")] = None,
) -> ClientRoadmapPublic:
    """Read the client's roadmap: recommendations and budgets by fiscal quarter and month."""
    found = services.roadmap.roadmap(actor.tenant, client_id, today or services.clock().date(),
                                     quarters, [s.value for s in status] if status else None)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return ClientRoadmapPublic.of_view(
        found, currency=services.msp_settings.currency(actor.tenant, services.clock()))


@router.get("/clients/{client_id}/budget")
def get_client_budget(client_id: UUID, services: ServicesDep, actor: ActorDep, _: FreshBudgetDep,
                      today: TodayQuery = None,
                      quarters: Annotated[int, Query(ge=1, le=40)] = 4) -> BudgetPublic:
    """Read the client's approved and proposed budget per month and fiscal quarter."""
    found = services.budget.client_budget(actor.tenant, client_id,
                                          today or services.clock().date(), quarters)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return BudgetPublic.of_view(
        found, currency=services.msp_settings.currency(actor.tenant, services.clock()))


@router.get("/budget")
def get_msp_budget(
    services: ServicesDep, actor: ActorDep, _: FreshBudgetDep,
    first: Annotated[QueryDay | None, Query(description="Any day of the first month.")] = None,
    months: Annotated[int, Query(ge=1, le=120)] = 12,
    fiscal_year_start_month: Annotated[int | None, Query(
        ge=1, le=12, description="Default: the MSP's fiscal year start in force.")] = None,
) -> BudgetPublic:
    """Read the MSP's approved and proposed budget over all clients, per month and quarter."""
    start = month_start(first or services.clock().date())
    fy_month = fiscal_year_start_month or services.msp_settings.fiscal_year_start_month(
        actor.tenant, services.clock())
    try:
        found = services.budget.msp_budget(actor.tenant, start, months, fy_month)
    except ValueError as error:
        raise InvalidValueError("months", str(error)) from None
    return BudgetPublic.of_view(
        found, currency=services.msp_settings.currency(actor.tenant, services.clock()))
