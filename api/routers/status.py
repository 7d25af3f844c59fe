"""The service's figures for an operator: what ``/health`` checks, with the numbers behind it.

The log head and every read model's position count every tenant's events, so this takes an
operator's metrics token, like ``/metrics``; a tenant's admin sees only ``/health``.
"""

from fastapi import APIRouter

from api.dependencies import OperatorDep, ServicesDep
from api.errors import problem_doc
from api.routers.metrics import read_model_statuses
from api.schemas.admin import ProjectionStatusPublic, StatusPublic

router = APIRouter(prefix="/status", tags=["projections"], dependencies=[OperatorDep],
                   responses={401: problem_doc("No metrics token (a tenant's tokens are refused)")})


@router.get("")
def service_status(services: ServicesDep) -> StatusPublic:
    """Show the log head, each read model's position, lag and runner, and which are stuck."""
    head = services.log_head()
    found = read_model_statuses(services)
    stuck = [s.name for s in found if s.stuck]
    return StatusPublic(status="degraded" if stuck else "ok", log_head=head, stuck_read_models=stuck,
                        read_models=[ProjectionStatusPublic.model_validate(s) for s in found])
