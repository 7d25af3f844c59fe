"""Read-model status for an operator: position, lag, dead letters, and whether a runner is active.

Positions and dead letters are the whole installation's, so this takes an operator's metrics
token, like ``/metrics`` (``vcio projections status`` shows the same on the command line).
"""

from fastapi import APIRouter

from api.dependencies import OperatorDep, ServicesDep
from api.errors import problem_doc
from api.routers.metrics import read_model_statuses
from api.schemas.admin import ProjectionsStatusPublic, ProjectionStatusPublic

router = APIRouter(prefix="/projections", tags=["projections"], dependencies=[OperatorDep],
                   responses={401: problem_doc("No metrics token (a tenant's tokens are refused)")})


@router.get("")
def projections_status(services: ServicesDep) -> ProjectionsStatusPublic:
    """Show each projection's generation, position, lag, dead letters, runner and whether it is stuck."""
    found = [ProjectionStatusPublic.model_validate(s) for s in read_model_statuses(services)]
    return ProjectionsStatusPublic(data=found, count=len(found))
