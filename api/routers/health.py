"""Liveness for load balancers and container health checks (no token needed)."""

from fastapi import APIRouter

from api.dependencies import ServicesDep
from api.schemas.admin import HealthPublic
from api.schemas.common import MessagePublic

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", responses={503: {"model": MessagePublic, "description": "The database is down"}})
def health(services: ServicesDep) -> HealthPublic:
    """Answer ok when the event store can be read; 503 while the database cannot be reached."""
    # The store's pool waits at most the database timeout for a connection, and a lost
    # database's errors answer 503 + Retry-After (api/errors.py), so this never hangs.
    return HealthPublic(status="ok", log_head=services.ledger.recorder.max_notification_id() or 0)
