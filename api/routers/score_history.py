"""Score history: a client's alignment score review after review, for trend charts."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.dependencies import ActorDep, KnownClientIdDep, ServicesDep
from api.errors import RECORD_RESPONSES
from api.query_types import QueryText
from api.schemas.alignment import ScoreHistoryPublic, ScorePointPublic

router = APIRouter(
    prefix="/clients/{client_id}/score-history", tags=["score history"], responses=RECORD_RESPONSES
)


@router.get("")
def get_score_history(
    client_id: KnownClientIdDep,
    services: ServicesDep,
    actor: ActorDep,
    category: Annotated[QueryText | None, Query(description="One category; overall when omitted.")] = None,
) -> ScoreHistoryPublic:
    """Read the client's score per completed review, oldest first."""
    points = services.history.history(actor.tenant, client_id, category)
    return ScoreHistoryPublic(data=[ScorePointPublic.model_validate(p) for p in points], count=len(points))
