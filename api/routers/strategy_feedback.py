"""Client feedback: which recommendations the client accepted and why not the others, the
changes it asks for, and new initiatives (mergers, hires, layoffs)."""

from uuid import UUID

from fastapi import APIRouter, status

from api.dependencies import ActorDep, IdempotencyKeyDep, ServicesDep, sends
from api.errors import RECORD_RESPONSES
from api.schemas.common import to_command
from api.schemas.strategy_requests import FeedbackCreate, FeedbackCreated
from commands.touches import RecordClientFeedback

router = APIRouter(prefix="/clients/{client_id}/feedback", tags=["feedback"],
                   responses=RECORD_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(RecordClientFeedback)])
def record(client_id: UUID, body: FeedbackCreate, services: ServicesDep, actor: ActorDep,
           idempotency_key: IdempotencyKeyDep = None) -> FeedbackCreated:
    """Record the client's feedback."""
    command = to_command(RecordClientFeedback, body, client_id=client_id)
    result = services.bus.handle(command, actor, services.clock(), idempotency_key)
    return FeedbackCreated.of(result, feedback_id=result.created_id)
