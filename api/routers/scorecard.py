"""The rolling scorecard: where a client stands now, across finalised reviews."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from aggregates.errors import NotFoundError
from api.dependencies import ActorDep, FreshDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.schemas.scorecard import ScorecardPublic

router = APIRouter(prefix="/clients/{client_id}/scorecard", tags=["alignment"],
                   responses=RECORD_RESPONSES)

TodayQuery = Annotated[date | None, Query(description="The day ages and due dates are counted to.")]


@router.get("")
def get_scorecard(client_id: UUID, services: ServicesDep, actor: ActorDep, _: FreshDep,
                  today: TodayQuery = None) -> ScorecardPublic:
    """Read the client's current alignment: the latest finalised answer to each standard in
    force with its age and due date, the score, coverage and fresh coverage, per category, the
    misaligned list and the categories due."""
    found = services.scorecard.scorecard(actor.tenant, client_id, today or services.clock().date())
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return ScorecardPublic.model_validate(found)
