"""Committee commands on a proposed library change set: open, propose, withdraw, publish, discard.

Proposing changes nothing in the library. ``publish_change_set`` applies every proposal through
the same ``Standard`` methods the standards commands call, and saves the changed standards with
the change set's ``ChangeSetPublished`` in one transaction: the library moves in one step, and
publishing an already published change set records nothing.
"""

import uuid
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError
from pydantic import Field

from aggregates.change_set import (
    LibraryChangeSet,
    ProposedRetirement,
    ProposedRevision,
    ProposedWeightChange,
    StandardSnapshot,
)
from aggregates.errors import ConflictError
from aggregates.standard import Standard
from commands import types as t
from commands.base import ChangeCommand, Command
from commands.context import Context
from commands.ledger import MAX_ATTEMPTS, Ledger, StoreBusyError
from commands.results import Actor, CommandResult
from commands.standards import DraftStandard, StandardChanges, Text
from events.vocabulary import Priority

Title = t.Text


class OpenChangeSet(Command):
    title: Title
    reason: Text


class ProposeNewStandard(ChangeCommand):
    change_set_id: UUID
    standard: DraftStandard


class ProposeRevision(ChangeCommand):
    change_set_id: UUID
    standard_id: UUID
    changes: StandardChanges
    reason: Text


class ProposeWeightChange(ChangeCommand):
    change_set_id: UUID
    standard_id: UUID
    priority: Priority
    reason: Text


class ProposeRetirement(ChangeCommand):
    change_set_id: UUID
    standard_id: UUID
    reason: Text
    successors: list[UUID] = Field(default_factory=list, max_length=50)


class WithdrawProposal(ChangeCommand):
    change_set_id: UUID
    item_id: UUID


class PublishChangeSet(ChangeCommand):
    change_set_id: UUID
    published_at: t.Moment | None = None


class DiscardChangeSet(ChangeCommand):
    change_set_id: UUID
    reason: Text


def load_change_set(ledger: Ledger, actor: Actor, change_set_id: UUID,
                    expected_version: int | None = None) -> LibraryChangeSet:
    return ledger.load(actor, LibraryChangeSet, change_set_id, "change_set_id", expected_version)


def snapshot(ledger: Ledger, actor: Actor, standard_id: UUID, field: str = "standard_id") -> StandardSnapshot:
    standard = ledger.load(actor, Standard, standard_id, field)
    return StandardSnapshot(standard.id, standard.key, standard.revision, standard.status,
                            standard.text)


def open_change_set(cmd: OpenChangeSet, ctx: Context) -> CommandResult:
    def decide() -> LibraryChangeSet:
        return LibraryChangeSet.create_with_id(
            ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "change-set"), tenant=ctx.actor.tenant,
            title=cmd.title, reason=cmd.reason, by=ctx.actor.name)

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def propose_new_standard(cmd: ProposeNewStandard, ctx: Context) -> CommandResult:
    item_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "change-set-item")
    standard_id = uuid.uuid5(cmd.change_set_id, f"new-standard:{item_id}")

    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        s = cmd.standard
        change_set.propose_new_standard(
            item_id=item_id, standard_id=standard_id, key=s.key, category=s.category,
            question=s.question, expected_answer=s.expected_answer, how_to_check=s.how_to_check,
            why_it_matters=s.why_it_matters, priority=s.priority,
            review_frequency=s.review_frequency,
            authority_references=list(s.authority_references), by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=item_id)


def propose_revision(cmd: ProposeRevision, ctx: Context) -> CommandResult:
    item_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "change-set-item")

    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        change_set.propose_revision(item_id=item_id,
                                    standard=snapshot(ctx.ledger, ctx.actor, cmd.standard_id),
                                    changes=dict(cmd.changes), reason=cmd.reason, by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=item_id)


def propose_weight_change(cmd: ProposeWeightChange, ctx: Context) -> CommandResult:
    item_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "change-set-item")

    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        change_set.propose_weight_change(
            item_id=item_id, standard=snapshot(ctx.ledger, ctx.actor, cmd.standard_id),
            priority=cmd.priority, reason=cmd.reason, by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=item_id)


def propose_retirement(cmd: ProposeRetirement, ctx: Context) -> CommandResult:
    item_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "change-set-item")

    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        new_ids = {n.standard_id for n in change_set.new_standards}
        successors: list[StandardSnapshot | UUID] = [
            s if s in new_ids else snapshot(ctx.ledger, ctx.actor, s, "successors") for s in cmd.successors]
        change_set.propose_retirement(
            item_id=item_id, standard=snapshot(ctx.ledger, ctx.actor, cmd.standard_id), reason=cmd.reason,
            successors=successors, by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=item_id)


def withdraw_proposal(cmd: WithdrawProposal, ctx: Context) -> CommandResult:
    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        change_set.withdraw_proposal(item_id=cmd.item_id, by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def discard_change_set(cmd: DiscardChangeSet, ctx: Context) -> CommandResult:
    def decide() -> LibraryChangeSet:
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id, cmd.expected_version)
        change_set.discard(reason=cmd.reason, by=ctx.actor.name)
        return change_set

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def apply_proposals(ledger: Ledger, actor: Actor, change_set: LibraryChangeSet) -> list[Standard]:
    """Every standard the change set touches, with the proposals applied (not yet saved)."""
    reason = f"change set {change_set.title!r}"
    touched: dict[UUID, Standard] = {}
    for new in change_set.new_standards:
        text = new.text
        standard = Standard.create_with_id(
            new.standard_id, tenant=actor.tenant, key=new.key, category=text.category,
            question=text.question, expected_answer=text.expected_answer,
            how_to_check=text.how_to_check, why_it_matters=text.why_it_matters,
            priority=text.priority, review_frequency=text.review_frequency,
            authority_references=list(text.authority_references), by=actor.name)
        standard.publish(by=actor.name)
        touched[standard.id] = standard
    for item in change_set.proposals_on_existing:
        standard = ledger.load_standard(actor, item.standard_id)
        change_set.check_is_current(item, standard.revision, standard.status)
        if isinstance(item, ProposedRevision):
            standard.revise(changes=item.changes, reason=f"{item.reason} ({reason})", by=actor.name)
        elif isinstance(item, ProposedWeightChange):
            standard.revise(changes={"priority": item.priority.value},
                            reason=f"{item.reason} ({reason})", by=actor.name)
        elif isinstance(item, ProposedRetirement):
            for successor in item.successors:
                if successor not in touched:
                    ledger.load_standard(actor, successor, None).check_is_not_retired()
            standard.retire(reason=f"{item.reason} ({reason})", replaced_by=None,
                            successors=list(item.successors), by=actor.name)
        touched[standard.id] = standard
    return list(touched.values())


def publish_change_set(cmd: PublishChangeSet, ctx: Context) -> CommandResult:
    """Publish in one transaction; an already published change set is answered, not redone."""
    for _ in range(MAX_ATTEMPTS):
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id)
        if change_set.is_published:
            return CommandResult(change_set.id, change_set.version, None, replayed=True)
        if cmd.expected_version is not None and change_set.version != cmd.expected_version:
            raise ConflictError("expected_version", f"change set is at version"
                                f" {change_set.version}, not {cmd.expected_version}")
        standards = apply_proposals(ctx.ledger, ctx.actor, change_set)
        change_set.publish(published_at=cmd.published_at or ctx.now, by=ctx.actor.name)
        try:
            recordings = ctx.ledger.save(change_set, *standards)
        except IntegrityError:
            continue  # a standard or the change set moved on: decide again from fresh state
        except OperationalError as error:
            raise StoreBusyError(str(error)) from error
        position = max((r.notification.id for r in recordings), default=None)
        return CommandResult(change_set.id, change_set.version, position)
    raise ConflictError("change_set_id", "the library kept changing while publishing; retry")
