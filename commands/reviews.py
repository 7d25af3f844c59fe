"""Alignment review commands: start, record answers (one or a whole sitting), rate; the stages
(submit to the vCIO, send an item back, finalise); the one-step complete kept from before the
stages; and suggest an answer (an outside tool's, shown to the TAM, never recorded as an answer)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from aggregates.client import Client
from aggregates.errors import DomainError
from aggregates.review_state import StandardFacts
from commands.base import ChangeCommand, CommandPart
from commands.context import Context
from commands.ledger import Ledger
from commands.results import Actor, CommandResult
from commands.review_scope import published_in_scope
from events.vocabulary import Answer, Rating

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class StartReview(ChangeCommand):
    client_id: UUID
    categories: list[str] = Field(default_factory=list)
    started_at: AwareDatetime | None = None


class AnswerInput(CommandPart):
    standard_id: UUID
    answer: Answer
    note: Note = ""
    observed_at: AwareDatetime | None = None


class RecordAnswer(ChangeCommand):
    client_id: UUID
    review_id: UUID
    standard_id: UUID
    answer: Answer
    note: Note = ""
    observed_at: AwareDatetime | None = None


class RecordAnswers(ChangeCommand):
    """A batch of answers saved atomically (a TAM's sitting, or an import)."""

    client_id: UUID
    review_id: UUID
    answers: list[AnswerInput] = Field(min_length=1, max_length=2000)


class RateAnswer(ChangeCommand):
    client_id: UUID
    review_id: UUID
    standard_id: UUID
    rating: Rating


class SuggestAnswer(ChangeCommand):
    """An answer suggested from an outside tool's data (``source``, e.g. ``rmm:ninjaone``)."""

    client_id: UUID
    standard_id: UUID
    answer: Answer
    source: Source
    evidence: Note = ""
    observed_at: AwareDatetime | None = None


class CompleteReview(ChangeCommand):
    """The one-step completion from before the stages (kept for existing callers)."""

    client_id: UUID
    review_id: UUID
    completed_at: AwareDatetime | None = None


class SubmitReview(ChangeCommand):
    """The TAM hands the review to the vCIO; ``confirm_unanswered`` must be true when standards
    in scope are left unanswered."""

    client_id: UUID
    review_id: UUID
    confirm_unanswered: bool = False
    submitted_at: AwareDatetime | None = None


class SendBackItem(ChangeCommand):
    """The vCIO reopens one item of a submitted review for the TAM, saying what to look at."""

    client_id: UUID
    review_id: UUID
    standard_id: UUID
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class FinaliseReview(ChangeCommand):
    """The vCIO finalises a submitted review; ``unrated_as`` records misaligned answers left
    unrated as highly vulnerable (without it, unrated answers are refused and listed)."""

    client_id: UUID
    review_id: UUID
    unrated_as: Literal["highly_vulnerable"] | None = None
    finalised_at: AwareDatetime | None = None


def standard_facts(ledger: Ledger, actor: Actor, standard_id: UUID) -> StandardFacts:
    standard = ledger.load_standard(actor, standard_id)
    return StandardFacts(
        standard_id=standard.id, category=standard.text.category, revision=standard.revision,
        expected_answer=standard.text.expected_answer, is_answerable=standard.is_answerable,
        status=standard.status.value,
    )


@contextmanager
def item_errors(position: int) -> Iterator[None]:
    """Name the failing item of a batch in the error's field (``answers[3].standard_id``)."""
    try:
        yield
    except DomainError as error:
        raise type(error)(f"answers[{position}].{error.field}", error.reason) from None


def start_review(cmd: StartReview, ctx: Context) -> CommandResult:
    review_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "review")

    in_scope = published_in_scope(ctx.ledger, ctx.actor.tenant, cmd.categories)

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.start_review(review_id=review_id, categories=list(cmd.categories),
                            in_scope=len(in_scope), started_at=cmd.started_at or ctx.now,
                            by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=review_id)


def record_answer(cmd: RecordAnswer, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.record_answer(
            review_id=cmd.review_id, standard=standard_facts(ctx.ledger, ctx.actor, cmd.standard_id),
            answer=cmd.answer, note=cmd.note, observed_at=cmd.observed_at or ctx.now, by=ctx.actor.name,
        )
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def record_answers(cmd: RecordAnswers, ctx: Context) -> CommandResult:
    facts: dict[UUID, StandardFacts] = {}
    for position, item in enumerate(cmd.answers):
        with item_errors(position):
            facts[item.standard_id] = facts.get(item.standard_id) or standard_facts(
                ctx.ledger, ctx.actor, item.standard_id)

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        for position, item in enumerate(cmd.answers):
            with item_errors(position):
                client.record_answer(
                    review_id=cmd.review_id, standard=facts[item.standard_id], answer=item.answer,
                    note=item.note, observed_at=item.observed_at or ctx.now, by=ctx.actor.name,
                )
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def rate_answer(cmd: RateAnswer, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.rate_answer(review_id=cmd.review_id, standard_id=cmd.standard_id,
                           rating=cmd.rating, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def suggest_answer(cmd: SuggestAnswer, ctx: Context) -> CommandResult:
    suggestion_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "suggestion")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.suggest_answer(
            suggestion_id=suggestion_id, standard=standard_facts(ctx.ledger, ctx.actor, cmd.standard_id),
            answer=cmd.answer, source=cmd.source, evidence=cmd.evidence,
            observed_at=cmd.observed_at or ctx.now, by=ctx.actor.name,
        )
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=suggestion_id)


def complete_review(cmd: CompleteReview, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.complete_review(review_id=cmd.review_id, completed_at=cmd.completed_at or ctx.now,
                               by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def submit_review(cmd: SubmitReview, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        review = client.review(cmd.review_id)
        client.submit_review(
            review_id=cmd.review_id,
            in_scope=published_in_scope(ctx.ledger, ctx.actor.tenant, review.categories),
            confirm_unanswered=cmd.confirm_unanswered, submitted_at=cmd.submitted_at or ctx.now,
            by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def send_back_item(cmd: SendBackItem, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.send_back_item(review_id=cmd.review_id, standard_id=cmd.standard_id,
                              comment=cmd.comment, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def finalise_review(cmd: FinaliseReview, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.finalise_review(
            review_id=cmd.review_id, unrated_as=None if cmd.unrated_as is None else Rating(cmd.unrated_as),
            finalised_at=cmd.finalised_at or ctx.now, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
