"""Recommendations: the vCIO proposes and presents them; a decision maker of the client approves
or declines; the vCIO reschedules, starts and completes them."""

from uuid import UUID

from fastapi import APIRouter, status

from api.dependencies import ActorDep, IdempotencyKeyDep, ServicesDep, sends
from api.errors import RECORD_RESPONSES
from api.schemas.common import Recorded, to_command
from api.schemas.strategy_requests import (
    RecommendationApproval,
    RecommendationCompletion,
    RecommendationCreate,
    RecommendationCreated,
    RecommendationPresentation,
    RecommendationRefusal,
    RecommendationReschedule,
    RecommendationStart,
)
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    PresentRecommendation,
    ProposeRecommendation,
    RescheduleRecommendation,
    StartRecommendation,
)

router = APIRouter(prefix="/clients/{client_id}/recommendations", tags=["recommendations"],
                   responses=RECORD_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(ProposeRecommendation)])
def propose(client_id: UUID, body: RecommendationCreate, services: ServicesDep, actor: ActorDep,
            idempotency_key: IdempotencyKeyDep = None) -> RecommendationCreated:
    """Propose a recommendation, from findings of the latest completed review or free-standing."""
    command = to_command(ProposeRecommendation, body, client_id=client_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return RecommendationCreated.of(result, recommendation_id=result.created_id)


@router.post("/{recommendation_id}/present", dependencies=[sends(PresentRecommendation)])
def present(client_id: UUID, recommendation_id: UUID, services: ServicesDep, actor: ActorDep,
            body: RecommendationPresentation | None = None,
            idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Record that the recommendation was presented to the client (at a meeting, if named)."""
    command = to_command(PresentRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{recommendation_id}/approve", dependencies=[sends(ApproveRecommendation)])
def approve(client_id: UUID, recommendation_id: UUID, body: RecommendationApproval,
            services: ServicesDep, actor: ActorDep,
            idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Record a decision maker's approval (anyone else's is refused with 422)."""
    command = to_command(ApproveRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{recommendation_id}/decline", dependencies=[sends(DeclineRecommendation)])
def decline(client_id: UUID, recommendation_id: UUID, body: RecommendationRefusal,
            services: ServicesDep, actor: ActorDep,
            idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Record a decision maker's refusal and the reason."""
    command = to_command(DeclineRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{recommendation_id}/reschedule", dependencies=[sends(RescheduleRecommendation)])
def reschedule(client_id: UUID, recommendation_id: UUID, body: RecommendationReschedule,
               services: ServicesDep, actor: ActorDep,
               idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Move the recommendation to another fiscal quarter, or unschedule it."""
    command = to_command(RescheduleRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{recommendation_id}/start", dependencies=[sends(StartRecommendation)])
def start(client_id: UUID, recommendation_id: UUID, services: ServicesDep, actor: ActorDep,
          body: RecommendationStart | None = None,
          idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Start an approved recommendation's project."""
    command = to_command(StartRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{recommendation_id}/complete", dependencies=[sends(CompleteRecommendation)])
def complete(client_id: UUID, recommendation_id: UUID, services: ServicesDep, actor: ActorDep,
             body: RecommendationCompletion | None = None,
             idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Complete a started recommendation's project."""
    command = to_command(CompleteRecommendation, body, client_id=client_id,
                         recommendation_id=recommendation_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))
