"""The QBR pack: everything a technology business review needs about one client, as JSON."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from aggregates.errors import NotFoundError
from api.dependencies import ActorDep, FreshDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.schemas.strategy_public import QbrPackPublic

router = APIRouter(prefix="/clients/{client_id}/qbr-pack", tags=["qbr pack"],
                   responses=RECORD_RESPONSES)


@router.get("")
def get_qbr_pack(
    client_id: UUID, services: ServicesDep, actor: ActorDep, _: FreshDep,
    meeting_id: Annotated[UUID | None, Query(description="The review being prepared.")] = None,
    today: Annotated[date | None, Query(description="The day the pack is for.")] = None,
) -> QbrPackPublic:
    """Read the client's alignment and trend, top misaligned items, roadmap with budgets, open
    action items from the last meeting, and touches and meetings held since."""
    found = services.qbr_pack.pack(actor.tenant, client_id, today or services.clock().date(),
                                   meeting_id)
    if found is None:
        raise NotFoundError("client_id" if meeting_id is None else "meeting_id",
                            "no such client, or no such meeting for this client")
    return QbrPackPublic.model_validate(found)
