"""Standards-committee commands: draft, publish, revise, retire (or split) and review standards."""

from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field, PlainSerializer
from typing_extensions import TypedDict

from aggregates.standard import Standard
from commands import types as t
from commands.base import ChangeCommand, Command
from commands.context import Context
from commands.results import CommandResult
from events.vocabulary import ExpectedAnswer, Priority, ReviewFrequency

Text = t.LongText
References = Annotated[list[t.Text], Field(max_length=50)]


class StandardFields(TypedDict, total=False):
    """The fields a revision may name, each with its drafting type (null is refused)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    category: t.Category
    question: Text
    expected_answer: ExpectedAnswer
    how_to_check: Text
    why_it_matters: Text
    priority: Priority
    review_frequency: ReviewFrequency
    authority_references: References


# Validated, then held JSON-plain; serialised as held (its values are no longer the enums the
# TypedDict names, which pydantic's serializer would warn about on every fingerprint).
StandardChanges = Annotated[StandardFields, AfterValidator(t.json_plain(StandardFields)),
                            PlainSerializer(dict, return_type=dict[str, Any])]


class DraftStandard(Command):
    key: t.Key
    category: t.Category
    question: Text
    expected_answer: ExpectedAnswer = ExpectedAnswer.YES
    how_to_check: Text
    why_it_matters: Text
    priority: Priority
    review_frequency: ReviewFrequency
    authority_references: References = Field(default_factory=list)
    publish: t.Flag = False


class PublishStandard(ChangeCommand):
    standard_id: UUID


class ReviseStandard(ChangeCommand):
    standard_id: UUID
    changes: StandardChanges
    reason: Text


class RetireStandard(ChangeCommand):
    standard_id: UUID
    reason: Text
    replaced_by: UUID | None = None


def draft_standard(cmd: DraftStandard, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = Standard.create_with_id(
            ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "standard"),
            tenant=ctx.actor.tenant, key=cmd.key, category=cmd.category, question=cmd.question,
            expected_answer=cmd.expected_answer, how_to_check=cmd.how_to_check,
            why_it_matters=cmd.why_it_matters, priority=cmd.priority,
            review_frequency=cmd.review_frequency,
            authority_references=list(cmd.authority_references), by=ctx.actor.name,
        )
        if cmd.publish:
            standard.publish(by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def publish_standard(cmd: PublishStandard, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = ctx.ledger.load_standard(ctx.actor, cmd.standard_id, cmd.expected_version)
        standard.publish(by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def revise_standard(cmd: ReviseStandard, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = ctx.ledger.load_standard(ctx.actor, cmd.standard_id, cmd.expected_version)
        standard.revise(changes=dict(cmd.changes), reason=cmd.reason, by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def retire_standard(cmd: RetireStandard, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = ctx.ledger.load_standard(ctx.actor, cmd.standard_id, cmd.expected_version)
        if cmd.replaced_by is not None:
            ctx.ledger.load_standard(ctx.actor, cmd.replaced_by).check_is_not_retired()
        standard.retire(reason=cmd.reason, replaced_by=cmd.replaced_by, by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


class SplitStandard(ChangeCommand):
    """Retire a standard whose content now lives in several others (the first is the main one)."""

    standard_id: UUID
    successors: list[UUID] = Field(min_length=2, max_length=50)
    reason: Text


class ConfirmStandardReviewed(ChangeCommand):
    """The committee reviewed a standard and keeps it unchanged (the yearly library review)."""

    standard_id: UUID
    reviewed_at: t.Moment | None = None
    note: t.OptionalLongText = ""


def split_standard(cmd: SplitStandard, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = ctx.ledger.load_standard(ctx.actor, cmd.standard_id, cmd.expected_version)
        for successor in cmd.successors:
            ctx.ledger.load_standard(ctx.actor, successor).check_is_not_retired()
        standard.retire(reason=cmd.reason, replaced_by=None, successors=list(cmd.successors),
                        by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def confirm_standard_reviewed(cmd: ConfirmStandardReviewed, ctx: Context) -> CommandResult:
    def decide() -> Standard:
        standard = ctx.ledger.load_standard(ctx.actor, cmd.standard_id, cmd.expected_version)
        standard.confirm_reviewed(reviewed_at=cmd.reviewed_at or ctx.now, note=cmd.note, by=ctx.actor.name)
        return standard

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
