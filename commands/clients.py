"""Client relationship commands: onboard, change the profile, add, remove and erase decision
makers, offboard and re-onboard."""

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, EmailStr
from typing_extensions import TypedDict

from aggregates.client import Client
from commands import types as t
from commands.base import ChangeCommand, Command
from commands.context import Context
from commands.msp_settings import fiscal_year_start_month_in_force
from commands.results import CommandResult

Name = t.Text
Reason = t.OptionalReason


class ClientProfileFields(TypedDict, total=False):
    """The profile fields a change may name, each with its onboarding type (null is refused)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    name: t.Text
    mrr: t.Money
    user_count: t.UserCount
    complexity: t.Complexity
    industry: t.Text
    fiscal_year_start_month: t.Month
    vcio: t.Text
    tam: t.Text


ProfileChanges = Annotated[ClientProfileFields, AfterValidator(t.json_plain(ClientProfileFields))]


class OnboardClient(Command):
    name: Name
    mrr: t.Money
    user_count: t.UserCount
    complexity: t.Complexity
    industry: Name
    fiscal_year_start_month: t.Month | None = None  # None: the MSP's default in force today
    vcio: Name
    tam: Name


class ChangeClientProfile(ChangeCommand):
    """``effective_on``: the day the new values hold from (default today)."""

    client_id: UUID
    changes: ProfileChanges
    effective_on: t.Day | None = None


class AddDecisionMaker(ChangeCommand):
    client_id: UUID
    name: Name
    title: t.OptionalText = ""
    email: EmailStr | None = None
    phone: t.Phone = ""


class RemoveDecisionMaker(ChangeCommand):
    client_id: UUID
    decision_maker_id: UUID
    reason: Reason = ""


class EraseDecisionMaker(Command):
    """Forget a person on their request (crypto-shredding: their key is destroyed)."""

    client_id: UUID
    decision_maker_id: UUID
    reason: t.Reason


class OffboardClient(ChangeCommand):
    """The client leaves from ``effective_on``; its meetings planned from that day are cancelled."""

    client_id: UUID
    effective_on: t.Day
    reason: t.Reason


class ReonboardClient(ChangeCommand):
    client_id: UUID
    reason: Reason = ""


def onboard_client(cmd: OnboardClient, ctx: Context) -> CommandResult:
    def decide() -> Client:
        return Client.create_with_id(
            ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "client"),
            tenant=ctx.actor.tenant, name=cmd.name, mrr=cmd.mrr, user_count=cmd.user_count,
            complexity=cmd.complexity, industry=cmd.industry,
            fiscal_year_start_month=(cmd.fiscal_year_start_month
                                     or fiscal_year_start_month_in_force(ctx, ctx.now.date())),
            vcio=cmd.vcio, tam=cmd.tam,
            by=ctx.actor.name,
        )

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def change_client_profile(cmd: ChangeClientProfile, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.change_profile(changes=dict(cmd.changes), by=ctx.actor.name,
                              effective_on=cmd.effective_on or ctx.now.date())
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def add_decision_maker(cmd: AddDecisionMaker, ctx: Context) -> CommandResult:
    person_id = ctx.ledger.new_id(ctx.actor, ctx.idempotency_key, "decision-maker")

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.add_decision_maker(
            decision_maker_id=person_id, title=cmd.title,
            sealed_name=ctx.vault.seal(person_id, cmd.name),
            sealed_email=ctx.vault.seal(person_id, str(cmd.email or "")),
            sealed_phone=ctx.vault.seal(person_id, cmd.phone), by=ctx.actor.name,
        )
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide, created_id=person_id)


def remove_decision_maker(cmd: RemoveDecisionMaker, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.remove_decision_maker(decision_maker_id=cmd.decision_maker_id, reason=cmd.reason,
                                     by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def erase_decision_maker(cmd: EraseDecisionMaker, ctx: Context) -> CommandResult:
    """The key is destroyed only once the aggregate agrees this client knew the person, and
    before the audit event is saved: should the save fail, a retry finds the key already gone
    (``forget`` is idempotent) and records the event; the reverse order could leave an event
    claiming an erasure whose key still exists."""

    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id)
        client.check_erasable(cmd.decision_maker_id)
        ctx.vault.forget(cmd.decision_maker_id)
        client.erase_decision_maker(decision_maker_id=cmd.decision_maker_id, reason=cmd.reason,
                                    by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def offboard_client(cmd: OffboardClient, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.offboard(effective_on=cmd.effective_on, reason=cmd.reason, by=ctx.actor.name)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)


def reonboard_client(cmd: ReonboardClient, ctx: Context) -> CommandResult:
    def decide() -> Client:
        client = ctx.ledger.load_client(ctx.actor, cmd.client_id, cmd.expected_version)
        client.reonboard(reason=cmd.reason, by=ctx.actor.name, now=ctx.now)
        return client

    return ctx.ledger.execute(ctx.actor, cmd, ctx.idempotency_key, decide)
