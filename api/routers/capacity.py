"""Capacity: can each vCIO and TAM carry their clients (35-45 a vCIO by default)?"""

from typing import Annotated

from fastapi import APIRouter

from api.dependencies import ActorDep, ServicesDep, fresh
from api.schemas.capacity import CapacityPublic
from projections.capacity import CapacityView

router = APIRouter(prefix="/capacity", tags=["capacity"])

FreshCapacityDep = Annotated[None, fresh("client_directory", "meeting_calendar", "msp_settings")]


@router.get("")
def get_capacity(services: ServicesDep, actor: ActorDep, _: FreshCapacityDep) -> CapacityPublic:
    """Read each vCIO's and TAM's clients, MRR, planned meetings and touches per month for the
    next 12 months against the MSP's bands, and the clients that push someone over."""
    view = CapacityView(services.client_directory, services.meeting_calendar, services.msp_settings)
    return CapacityPublic.model_validate(view.capacity(actor.tenant, services.clock()))
