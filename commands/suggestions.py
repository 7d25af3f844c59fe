"""Suggestions to the standards committee: send one, accept it into a change set, decline it.

Accepting links the suggestion to a proposal already made in an open change set (the committee
writes the proposal in its own words first, then marks the suggestion as taken up by it), so a
suggestion never changes the library by itself.
"""

from uuid import UUID

from aggregates.errors import NotFoundError
from aggregates.standard_suggestion import StandardSuggestion
from commands import types as t
from commands.base import ChangeCommand, Command
from commands.change_sets import load_change_set
from commands.context import Context
from commands.results import CommandResult
from commands.standards import Text
from events.vocabulary import SuggestionKind


class SuggestStandard(Command):
    """A new standard, or a change to ``standard_id``; ``client_id`` and ``standard_id`` name
    the client finding that prompted it, when there is one."""

    kind: SuggestionKind
    text: Text
    standard_id: UUID | None = None
    client_id: UUID | None = None


class AcceptSuggestion(ChangeCommand):
    suggestion_id: UUID
    change_set_id: UUID
    item_id: UUID


class DeclineSuggestion(ChangeCommand):
    suggestion_id: UUID
    reason: t.LongText


def load_suggestion(ctx: Context, suggestion_id: UUID,
                    expected_version: int | None = None) -> StandardSuggestion:
    return ctx.ledger.load(ctx.actor, StandardSuggestion, suggestion_id, "suggestion_id", expected_version)


def suggest_standard(cmd: SuggestStandard, ctx: Context) -> CommandResult:
    def decide() -> StandardSuggestion:
        StandardSuggestion.check_change_names_its_standard(cmd.kind, cmd.standard_id)
        standard = None if cmd.standard_id is None else ctx.ledger.load_standard(ctx.actor, cmd.standard_id)
        client = None if cmd.client_id is None else ctx.ledger.load_client(ctx.actor, cmd.client_id)
        return StandardSuggestion.create_with_id(
            ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "suggestion"), tenant=ctx.actor.tenant,
            kind=cmd.kind, text=cmd.text, standard_id=cmd.standard_id,
            standard_key=standard.key if standard else None, client_id=cmd.client_id,
            client_name=client.name if client else None, by=ctx.actor.name, by_role=ctx.actor.role)

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def accept_suggestion(cmd: AcceptSuggestion, ctx: Context) -> CommandResult:
    def decide() -> StandardSuggestion:
        suggestion = load_suggestion(ctx, cmd.suggestion_id, cmd.expected_version)
        change_set = load_change_set(ctx.ledger, ctx.actor, cmd.change_set_id)
        change_set.check_is_open()
        if cmd.item_id not in change_set.items:
            raise NotFoundError("item_id", "the change set has no proposal with this id")
        suggestion.accept(change_set_id=cmd.change_set_id, item_id=cmd.item_id, by=ctx.actor.name)
        return suggestion

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def decline_suggestion(cmd: DeclineSuggestion, ctx: Context) -> CommandResult:
    def decide() -> StandardSuggestion:
        suggestion = load_suggestion(ctx, cmd.suggestion_id, cmd.expected_version)
        suggestion.decline(reason=cmd.reason, by=ctx.actor.name)
        return suggestion

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
