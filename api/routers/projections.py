"""Read-model status for admins: position, lag, dead letters, and whether a runner is active."""

from fastapi import APIRouter

from api.dependencies import AdminDep, ServicesDep
from api.schemas.admin import ProjectionsStatusPublic, ProjectionStatusPublic

router = APIRouter(prefix="/projections", tags=["projections"])


@router.get("")
def projections_status(services: ServicesDep, actor: AdminDep) -> ProjectionsStatusPublic:
    """Show each projection's generation, position, lag behind the log head, and dead letters."""
    found = [ProjectionStatusPublic.model_validate(p.status()) for p in services.projectors.values()]
    return ProjectionsStatusPublic(data=found, count=len(found))
