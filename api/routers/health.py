"""Liveness for load balancers and container health checks (no token needed).

It says ok or degraded and nothing more: the log head and the read models' positions would
show every tenant's activity to anyone who can reach the port. An admin reads the figures at
``/api/v1/status`` (``api/routers/status.py``) and an operator's metrics token at ``/metrics``.
"""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import ApiServices, ServicesDep
from api.errors import DATABASE_UNAVAILABLE, PROBLEM_MEDIA_TYPE, RETRY_AFTER_SECONDS, problem, problem_doc
from api.schemas.admin import HealthPublic
from projections.health import stuck_read_models

router = APIRouter(prefix="/health", tags=["health"])


def degradation(services: ApiServices) -> tuple[str | None, list[str]]:
    """Why the service is degraded (the database unreachable, read models stuck), or None, and
    the names of the stuck read models (names only: no positions)."""
    try:
        # One connection: the states read the log head too, so they also show the event store
        # can be read. The pool waits at most the database timeout for a connection, so this
        # never hangs.
        with services.pool.connection() as conn:
            stuck = stuck_read_models(conn, services.events_table, list(services.projectors))
    except DATABASE_UNAVAILABLE:
        return "the database cannot be reached", []
    return (f"read models stuck: {', '.join(stuck)}" if stuck else None), stuck


@router.get("", response_model=HealthPublic, responses={
    503: problem_doc("Degraded: the database cannot be reached, or read models are stuck")})
def health(services: ServicesDep) -> HealthPublic | JSONResponse:
    """Answer ok when the event store can be read and no read model is stuck; else 503 degraded."""
    reason, stuck = degradation(services)
    if reason is None:
        return HealthPublic(status="ok")
    found = problem(503, f"degraded: {reason}")
    body = {**found.model_dump(mode="json"), "status": "degraded", "stuck_read_models": stuck}
    return JSONResponse(body, status_code=503,
                        media_type=PROBLEM_MEDIA_TYPE, headers={"Retry-After": RETRY_AFTER_SECONDS})
