"""Liveness for load balancers and container health checks (no token needed)."""

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from api.dependencies import ServicesDep
from api.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS
from api.schemas.admin import HealthPublic
from api.schemas.common import MessagePublic

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", responses={503: {"model": MessagePublic, "description": "The database is down"}})
def health(services: ServicesDep) -> HealthPublic | JSONResponse:
    """Answer ok when the event store can be read; 503 while the database cannot be reached."""
    # The store's pool waits at most the database timeout for a connection, so a lost
    # database answers here within that time instead of hanging the caller.
    try:
        head = services.ledger.recorder.max_notification_id() or 0
    except DATABASE_UNAVAILABLE:
        return JSONResponse({"detail": "the database cannot be reached"},
                            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            headers={"Retry-After": RETRY_AFTER_SECONDS})
    return HealthPublic(status="ok", log_head=head)
