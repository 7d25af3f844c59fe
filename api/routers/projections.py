"""Read-model status for admins: position, lag, dead letters, and whether a runner is active."""

from fastapi import APIRouter

from api.dependencies import AdminDep, ServicesDep
from api.routers.metrics import read_model_statuses
from api.schemas.admin import ProjectionsStatusPublic, ProjectionStatusPublic

router = APIRouter(prefix="/projections", tags=["projections"])


@router.get("")
def projections_status(services: ServicesDep, actor: AdminDep) -> ProjectionsStatusPublic:
    """Show each projection's generation, position, lag, dead letters, runner and whether it is stuck."""
    found = [ProjectionStatusPublic.model_validate(s) for s in read_model_statuses(services)]
    return ProjectionsStatusPublic(data=found, count=len(found))
