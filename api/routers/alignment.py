"""Alignment: where a client stands against the library now, by category and item by item."""

from uuid import UUID

from fastapi import APIRouter

from aggregates.errors import NotFoundError
from api.dependencies import ActorDep, ApiServices, FreshAlignmentDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.schemas.alignment import (
    AlignmentItemPublic,
    AlignmentPublic,
    MisalignedPublic,
)
from commands.results import Actor
from projections.client_alignment import ClientAlignment

router = APIRouter(prefix="/clients/{client_id}/alignment", tags=["alignment"], responses=RECORD_RESPONSES)


def find_alignment(services: ApiServices, actor: Actor, client_id: UUID) -> ClientAlignment:
    found = services.alignment.alignment(actor.tenant, client_id)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return found


@router.get("")
def get_alignment(client_id: UUID, services: ServicesDep, actor: ActorDep,
                  _: FreshAlignmentDep) -> AlignmentPublic:
    """Read the client's alignment: score, coverage, per-category scores and every item with
    its previous answer."""
    return AlignmentPublic.model_validate(find_alignment(services, actor, client_id))


@router.get("/misaligned")
def get_misaligned(client_id: UUID, services: ServicesDep, actor: ActorDep,
                   _: FreshAlignmentDep) -> MisalignedPublic:
    """List the client's misaligned items, most important first."""
    found = find_alignment(services, actor, client_id).misaligned
    return MisalignedPublic(data=[AlignmentItemPublic.model_validate(i) for i in found], count=len(found))
