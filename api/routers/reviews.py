"""Alignment reviews: the TAM starts one, answers and submits it; the vCIO rates misaligned
answers, may send an item back, and finalises it (the one-step complete is kept for old callers)."""

from uuid import UUID

from fastapi import APIRouter, status

from api.dependencies import ActorDep, IdempotencyKeyDep, ServicesDep, sends
from api.errors import RECORD_RESPONSES
from api.schemas.common import Recorded, to_command
from api.schemas.review_stages import ItemSendBack, ReviewFinalisation, ReviewSubmission
from api.schemas.reviews import (
    AnswerPut,
    AnswersCreate,
    RatingPut,
    ReviewCompletion,
    ReviewCreate,
    ReviewCreated,
)
from commands.reviews import (
    CompleteReview,
    FinaliseReview,
    RateAnswer,
    RecordAnswer,
    RecordAnswers,
    SendBackItem,
    StartReview,
    SubmitReview,
)

router = APIRouter(prefix="/clients/{client_id}/reviews", tags=["reviews"], responses=RECORD_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[sends(StartReview)])
def start(
    client_id: UUID,
    body: ReviewCreate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> ReviewCreated:
    """Start a review of the client (one open review at a time)."""
    command = to_command(StartReview, body, client_id=client_id)
    result = services.bus.handle(command, actor, services.clock(), idempotency_key)
    return ReviewCreated.of(result, review_id=result.created_id)


@router.put("/{review_id}/answers/{standard_id}", dependencies=[sends(RecordAnswer)])
def answer(
    client_id: UUID,
    review_id: UUID,
    standard_id: UUID,
    body: AnswerPut,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Record (or change) the answer to one standard."""
    command = to_command(
        RecordAnswer, body, client_id=client_id, review_id=review_id, standard_id=standard_id
    )
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{review_id}/answers", dependencies=[sends(RecordAnswers)])
def answer_many(
    client_id: UUID,
    review_id: UUID,
    body: AnswersCreate,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Record a batch of answers at once (all or nothing)."""
    command = to_command(RecordAnswers, body, client_id=client_id, review_id=review_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.put("/{review_id}/ratings/{standard_id}", dependencies=[sends(RateAnswer)])
def rate(
    client_id: UUID,
    review_id: UUID,
    standard_id: UUID,
    body: RatingPut,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Rate a misaligned answer as marginal or highly vulnerable."""
    command = to_command(RateAnswer, body, client_id=client_id, review_id=review_id, standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post("/{review_id}/complete", dependencies=[sends(CompleteReview)])
def complete(
    client_id: UUID,
    review_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    body: ReviewCompletion | None = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Complete the review; its answers become the previous answers of the next one."""
    command = to_command(CompleteReview, body, client_id=client_id, review_id=review_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{review_id}/submit", dependencies=[sends(SubmitReview)])
def submit(
    client_id: UUID,
    review_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    body: ReviewSubmission | None = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Hand the review to the vCIO (unanswered standards need confirm_unanswered)."""
    command = to_command(SubmitReview, body, client_id=client_id, review_id=review_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{review_id}/items/{standard_id}/send-back", dependencies=[sends(SendBackItem)])
def send_back(
    client_id: UUID,
    review_id: UUID,
    standard_id: UUID,
    body: ItemSendBack,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Reopen one item of a submitted review for the TAM, with a comment."""
    command = to_command(SendBackItem, body, client_id=client_id, review_id=review_id,
                         standard_id=standard_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post("/{review_id}/finalise", dependencies=[sends(FinaliseReview)])
def finalise(
    client_id: UUID,
    review_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    body: ReviewFinalisation | None = None,
    idempotency_key: IdempotencyKeyDep = None,
) -> Recorded:
    """Finalise a submitted review (unrated misaligned answers need unrated_as)."""
    command = to_command(FinaliseReview, body, client_id=client_id, review_id=review_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))
