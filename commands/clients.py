"""Client relationship commands: onboard, change the profile, add and remove decision makers."""

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import EmailStr, Field, StringConstraints

from aggregates.client import Client
from commands.base import ChangeCommand, Command
from commands.ledger import Ledger
from commands.personal_data import PersonalDataVault
from commands.results import Actor, CommandResult

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class OnboardClient(Command):
    name: Name
    mrr: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    user_count: int = Field(ge=0)
    complexity: int = Field(ge=1, le=10)
    industry: Name
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    vcio: Name
    tam: Name


class ChangeClientProfile(ChangeCommand):
    client_id: UUID
    changes: dict[str, Any] = Field(min_length=1)


class AddDecisionMaker(ChangeCommand):
    client_id: UUID
    name: Name
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""


class RemoveDecisionMaker(ChangeCommand):
    client_id: UUID
    decision_maker_id: UUID
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


def onboard_client(ledger: Ledger, actor: Actor, cmd: OnboardClient,
                   idempotency_key: str | None = None) -> CommandResult:
    def decide() -> Client:
        return Client.create_with_id(
            ledger.new_id(actor, idempotency_key, "client"),
            tenant=actor.tenant, name=cmd.name, mrr=cmd.mrr, user_count=cmd.user_count,
            complexity=cmd.complexity, industry=cmd.industry,
            fiscal_year_start_month=cmd.fiscal_year_start_month, vcio=cmd.vcio, tam=cmd.tam,
            by=actor.name,
        )

    return ledger.execute(actor, cmd, idempotency_key, decide)


def change_client_profile(ledger: Ledger, actor: Actor, cmd: ChangeClientProfile,
                          idempotency_key: str | None = None) -> CommandResult:
    def decide() -> Client:
        client = ledger.load_client(actor, cmd.client_id, cmd.expected_version)
        client.change_profile(changes=dict(cmd.changes), by=actor.name)
        return client

    return ledger.execute(actor, cmd, idempotency_key, decide)


def add_decision_maker(ledger: Ledger, vault: PersonalDataVault, actor: Actor,
                       cmd: AddDecisionMaker, idempotency_key: str | None = None) -> CommandResult:
    person_id = ledger.new_id(actor, idempotency_key, "decision-maker")

    def decide() -> Client:
        client = ledger.load_client(actor, cmd.client_id, cmd.expected_version)
        client.add_decision_maker(
            decision_maker_id=person_id, title=cmd.title,
            sealed_name=vault.seal(person_id, cmd.name),
            sealed_email=vault.seal(person_id, str(cmd.email or "")),
            sealed_phone=vault.seal(person_id, cmd.phone), by=actor.name,
        )
        return client

    return ledger.execute(actor, cmd, idempotency_key, decide, created_id=person_id)


def remove_decision_maker(ledger: Ledger, actor: Actor, cmd: RemoveDecisionMaker,
                          idempotency_key: str | None = None) -> CommandResult:
    def decide() -> Client:
        client = ledger.load_client(actor, cmd.client_id, cmd.expected_version)
        client.remove_decision_maker(decision_maker_id=cmd.decision_maker_id, reason=cmd.reason,
                                     by=actor.name)
        return client

    return ledger.execute(actor, cmd, idempotency_key, decide)
