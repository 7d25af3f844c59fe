"""Suggestions to the standards committee: vCIOs, TAMs and the committee send them; the
committee accepts one into an open change set or declines it with a reason; everyone reads."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status

from aggregates.errors import NotFoundError
from api.dependencies import ActorDep, FreshInboxDep, IdempotencyKeyDep, ServicesDep, sends
from api.errors import RECORD_RESPONSES
from api.paging import AfterQuery, LimitQuery, decode_cursor, next_cursor
from api.schemas.common import Recorded, to_command
from api.schemas.suggestions import (
    SuggestionAccept,
    SuggestionCreate,
    SuggestionCreated,
    SuggestionDecline,
    SuggestionPublic,
    SuggestionsPublic,
)
from commands.suggestions import AcceptSuggestion, DeclineSuggestion, SuggestStandard

router = APIRouter(prefix="/suggestions", tags=["suggestions"], responses=RECORD_RESPONSES)

Status = Literal["open", "accepted", "declined", "all"]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(SuggestStandard)])
def suggest(body: SuggestionCreate, services: ServicesDep, actor: ActorDep,
            idempotency_key: IdempotencyKeyDep = None) -> SuggestionCreated:
    """Suggest a new standard or a change to one to the committee."""
    result = services.bus.handle(to_command(SuggestStandard, body), actor, idempotency_key=idempotency_key)
    return SuggestionCreated.of(result, suggestion_id=result.aggregate_id)


@router.get("")
def list_suggestions(services: ServicesDep, actor: ActorDep, _: FreshInboxDep,
                     state: Annotated[Status, Query(alias="status")] = "open",
                     after: AfterQuery = None, limit: LimitQuery = 100) -> SuggestionsPublic:
    """List suggestions in a status (default open), oldest first, a page at a time."""
    cursor = None
    if after is not None:
        at, suggestion_id = decode_cursor(after, (datetime, UUID))
        cursor = (at, UUID(str(suggestion_id))) if isinstance(at, datetime) else None
    status = None if state == "all" else state
    inbox = services.suggestion_inbox
    found = inbox.suggestions(actor.tenant, status, cursor, limit)
    return SuggestionsPublic(
        data=[SuggestionPublic.model_validate(s) for s in found], count=len(found),
        next=next_cursor(found, limit, "suggested_at", "suggestion_id"),
        total=inbox.count_suggestions(actor.tenant, status))


@router.get("/{suggestion_id}")
def get_suggestion(suggestion_id: UUID, services: ServicesDep, actor: ActorDep,
                   _: FreshInboxDep) -> SuggestionPublic:
    """Read one suggestion and the committee's decision on it."""
    found = services.suggestion_inbox.suggestion(actor.tenant, suggestion_id)
    if found is None:
        raise NotFoundError("suggestion_id", "no suggestion with this id")
    return SuggestionPublic.model_validate(found)


@router.post("/{suggestion_id}/accept", dependencies=[sends(AcceptSuggestion)])
def accept(suggestion_id: UUID, body: SuggestionAccept, services: ServicesDep, actor: ActorDep,
           idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Accept a suggestion as a proposal already made in an open change set."""
    command = to_command(AcceptSuggestion, body, suggestion_id=suggestion_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{suggestion_id}/decline", dependencies=[sends(DeclineSuggestion)])
def decline(suggestion_id: UUID, body: SuggestionDecline, services: ServicesDep, actor: ActorDep,
            idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Decline a suggestion, saying why."""
    command = to_command(DeclineSuggestion, body, suggestion_id=suggestion_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))
