"""The service's figures for an admin: what ``/health`` checks, with the numbers behind it."""

from fastapi import APIRouter

from api.dependencies import AdminDep, ServicesDep
from api.routers.metrics import read_model_statuses
from api.schemas.admin import ProjectionStatusPublic, StatusPublic

router = APIRouter(prefix="/status", tags=["projections"])


@router.get("")
def service_status(services: ServicesDep, actor: AdminDep) -> StatusPublic:
    """Show the log head, each read model's position, lag and runner, and which are stuck."""
    head = services.log_head()
    found = read_model_statuses(services)
    stuck = [s.name for s in found if s.stuck]
    return StatusPublic(status="degraded" if stuck else "ok", log_head=head, stuck_read_models=stuck,
                        read_models=[ProjectionStatusPublic.model_validate(s) for s in found])
