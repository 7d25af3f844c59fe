"""Unique touches: the vCIO logs each contact; the cadence read model compares the touches with
decision makers against each client's target per month, clients behind cadence first."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from aggregates.errors import NotFoundError
from api.dependencies import (
    ActorDep,
    ApiServices,
    FreshCadenceDep,
    IdempotencyKeyDep,
    KnownClientIdDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.schemas.common import to_command
from api.schemas.strategy_public import ClientCadencePublic, TouchCadencesPublic
from api.schemas.strategy_requests import TouchCreate, TouchCreated
from commands.touches import LogTouch
from projections.fiscal import add_months, month_start

router = APIRouter(tags=["touches"], responses=RECORD_RESPONSES)

FirstMonthQuery = Annotated[
    date | None, Query(description="Any day of the first month; default: two months ago.")]
MonthsQuery = Annotated[int, Query(ge=1, le=36, description="How many calendar months.")]


def first_month(services: ApiServices, given: date | None) -> date:
    return month_start(given) if given else add_months(services.clock().date(), -2)


@router.post("/clients/{client_id}/touches", status_code=status.HTTP_201_CREATED,
             dependencies=[sends(LogTouch)])
def log(client_id: UUID, body: TouchCreate, services: ServicesDep, actor: ActorDep,
        idempotency_key: IdempotencyKeyDep = None) -> TouchCreated:
    """Log a unique touch (it counts toward cadence only with a decision maker)."""
    command = to_command(LogTouch, body, client_id=client_id)
    result = services.bus.handle(command, actor, services.clock(), idempotency_key)
    return TouchCreated.of(result, touch_id=result.created_id)


@router.get("/touch-cadence")
def get_cadence(services: ServicesDep, actor: ActorDep, _: FreshCadenceDep,
                first: FirstMonthQuery = None, months: MonthsQuery = 3,
                vcio: Annotated[str | None, Query(description="One vCIO's clients only.")] = None,
                ) -> TouchCadencesPublic:
    """Read every client's touches per month against its target, behind cadence first."""
    found = services.touch_cadence.cadence(actor.tenant, first_month(services, first), months,
                                           vcio=vcio)
    return TouchCadencesPublic(data=[ClientCadencePublic.model_validate(c) for c in found],
                         count=len(found))


@router.get("/clients/{client_id}/touch-cadence")
def get_client_cadence(client_id: KnownClientIdDep, services: ServicesDep, actor: ActorDep,
                       first: FirstMonthQuery = None,
                       months: MonthsQuery = 3) -> ClientCadencePublic:
    """Read one client's touches per month against its target."""
    found = services.touch_cadence.client_cadence(actor.tenant, client_id,
                                                  first_month(services, first), months)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return ClientCadencePublic.model_validate(found)
