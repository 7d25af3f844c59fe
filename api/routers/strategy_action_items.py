"""Action items: what a meeting (or a call) left to do, who owns it and when to follow up."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from aggregates.errors import InvalidValueError
from api.dependencies import ActorDep, IdempotencyKeyDep, KnownClientIdDep, ServicesDep, sends
from api.errors import RECORD_RESPONSES
from api.query_types import QueryDay
from api.schemas.common import Recorded, to_command
from api.schemas.strategy_public import ActionItemPublic, ActionItemsPublic
from api.schemas.strategy_requests import (
    ActionItemCompletion,
    ActionItemCreate,
    ActionItemCreated,
    ActionItemUpdate,
)
from commands.meetings import (
    AddActionItem,
    CompleteActionItem,
    UpdateActionItem,
)

router = APIRouter(prefix="/clients/{client_id}/action-items", tags=["action items"],
                   responses=RECORD_RESPONSES)


@router.get("")
def list_action_items(
    client_id: KnownClientIdDep, services: ServicesDep, actor: ActorDep,
    today: Annotated[QueryDay | None, Query(description="Overdue means before this day.")] = None,
    meeting_id: Annotated[UUID | None, Query(description="Only this meeting's items.")] = None,
    include_completed: bool = False,
) -> ActionItemsPublic:
    """List the client's action items by follow-up date (open ones unless asked otherwise)."""
    found = services.meeting_calendar.action_items(
        actor.tenant, today or services.clock().date(), client_id=client_id,
        meeting_id=meeting_id, include_completed=include_completed)
    return ActionItemsPublic(data=[ActionItemPublic.model_validate(a) for a in found],
                             count=len(found))


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(AddActionItem)])
def add(client_id: UUID, body: ActionItemCreate, services: ServicesDep, actor: ActorDep,
        idempotency_key: IdempotencyKeyDep = None) -> ActionItemCreated:
    """Add an action item (of a meeting, or standing alone)."""
    command = to_command(AddActionItem, body, client_id=client_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return ActionItemCreated.of(result, action_item_id=result.created_id)


@router.patch("/{action_item_id}", dependencies=[sends(UpdateActionItem)])
def update(client_id: UUID, action_item_id: UUID, body: ActionItemUpdate, services: ServicesDep,
           actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Change an open action item's title, owner, next step or follow-up date."""
    if not body.changes():
        raise InvalidValueError("body", "send at least one of title, owner, next_step, follow_up_on")
    command = to_command(UpdateActionItem, client_id=client_id, action_item_id=action_item_id,
                         changes=body.changes(), expected_version=body.expected_version)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{action_item_id}/complete", dependencies=[sends(CompleteActionItem)])
def complete(client_id: UUID, action_item_id: UUID, body: ActionItemCompletion,
             services: ServicesDep, actor: ActorDep,
             idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Complete an action item with its resolution."""
    command = to_command(CompleteActionItem, body, client_id=client_id,
                         action_item_id=action_item_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))
