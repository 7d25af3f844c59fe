"""Liveness for load balancers and container health checks (no token needed)."""

from fastapi import APIRouter

from api.dependencies import ServicesDep
from api.schemas.admin import HealthPublic

router = APIRouter(prefix="/health", tags=["health"])


@router.get("")
def health(services: ServicesDep) -> HealthPublic:
    """Answer ok when the event store can be read."""
    return HealthPublic(status="ok", log_head=services.ledger.recorder.max_notification_id() or 0)
