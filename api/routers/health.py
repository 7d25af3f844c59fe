"""Liveness for load balancers and container health checks (no token needed)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import ServicesDep
from api.errors import PROBLEM_MEDIA_TYPE, problem, problem_doc
from api.schemas.admin import HealthPublic
from projections.health import stuck_read_models

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=HealthPublic, responses={
    503: problem_doc("The database is down, or read models are stuck (`stuck_read_models`)")})
def health(services: ServicesDep) -> HealthPublic | JSONResponse:
    """Answer ok when the event store can be read and no read model is stuck; else 503."""
    # The store's pool waits at most the database timeout for a connection, and a lost
    # database's errors answer 503 + Retry-After (api/errors.py), so this never hangs.
    head = services.ledger.recorder.max_notification_id() or 0
    with services.pool.connection() as conn:
        stuck = stuck_read_models(conn, services.events_table, list(services.projectors))
    if stuck:
        found = problem(503, f"read models stuck: {', '.join(stuck)}")
        return JSONResponse({**found.model_dump(mode="json"), "stuck_read_models": stuck},
                            status_code=503, media_type=PROBLEM_MEDIA_TYPE)
    return HealthPublic(status="ok", log_head=head)
