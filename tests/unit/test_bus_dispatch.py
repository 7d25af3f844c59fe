"""What the bus hands a handler (its dependencies, who, when, under which key) and how it names
a refusal or a wiring mistake."""

from datetime import UTC, datetime

import pytest

from commands.base import Command
from commands.bus import CommandBus, NotPermittedError, UnknownCommandError, utc_now
from commands.clients import OnboardClient
from commands.context import Context, NoVault
from commands.ledger import Ledger
from commands.registry import HUMAN_ROLES, MACHINE_ROLES, ROLES, Registration
from commands.results import Actor, CommandResult
from runtime.personal_vault import InMemoryVault

NOW = datetime(2027, 2, 3, 4, 5, tzinfo=UTC)
CLOCK = datetime(2027, 9, 9, 9, 9, tzinfo=UTC)


class Captured(Exception):
    """Raised by the test handler to hand its context back to the test."""

    def __init__(self, context: Context) -> None:
        super().__init__("captured")
        self.context = context


def capture(cmd: Command, ctx: Context) -> CommandResult:
    raise Captured(ctx)


def bus_with(ledger: Ledger, vault: InMemoryVault | None = None, roles: frozenset[str] = frozenset({"vcio"}),
             ) -> CommandBus:
    registry = {OnboardClient: Registration(OnboardClient, capture, roles)}
    return CommandBus(ledger, vault, registry=registry, clock=lambda: CLOCK)


def handed(bus: CommandBus, actor: Actor, now: datetime | None = None, key: str | None = None) -> Context:
    with pytest.raises(Captured) as captured:
        bus.handle(OnboardClient.model_construct(), actor, now, key)
    return captured.value.context


def test_the_handler_gets_the_ledger_the_vault_the_actor_the_time_and_the_idempotency_key(
        memory_ledger: Ledger, memory_vault: InMemoryVault, tenant: str) -> None:
    actor = Actor(tenant, "vera.vcio", "vcio")

    context = handed(bus_with(memory_ledger, memory_vault), actor, NOW, "key-1")

    assert (context.ledger, context.vault, context.actor, context.now, context.idempotency_key) == (
        memory_ledger, memory_vault, actor, NOW, "key-1")


def test_a_command_sent_without_a_time_is_handled_at_the_time_of_the_bus_clock(
        memory_ledger: Ledger, tenant: str) -> None:
    context = handed(bus_with(memory_ledger), Actor(tenant, "vera.vcio", "vcio"))

    assert (context.now, context.idempotency_key) == (CLOCK, None)


def test_a_bus_built_without_a_vault_hands_over_one_that_refuses_to_seal(
        memory_ledger: Ledger, tenant: str) -> None:
    context = handed(bus_with(memory_ledger), Actor(tenant, "vera.vcio", "vcio"))

    assert isinstance(context.vault, NoVault)


def test_the_default_clock_tells_the_time_in_utc() -> None:
    assert utc_now().tzinfo is UTC


def test_a_refused_command_names_the_command_the_roles_needed_and_the_actors_role(
        memory_ledger: Ledger, tenant: str) -> None:
    bus = bus_with(memory_ledger, roles=frozenset({"vcio", "committee"}))

    with pytest.raises(NotPermittedError) as refused:
        bus.handle(OnboardClient.model_construct(), Actor(tenant, "tom.tam", "tam"))

    assert (refused.value.command_name, refused.value.role, refused.value.roles_needed) == (
        "OnboardClient", "tam", ("admin", "committee", "vcio"))
    assert str(refused.value) == (
        "OnboardClient needs the role admin or committee or vcio; the actor's role is tam")


def test_a_command_type_the_registry_does_not_know_is_refused_naming_the_type(
        memory_ledger: Ledger, tenant: str) -> None:
    bus = CommandBus(memory_ledger, registry={})

    with pytest.raises(UnknownCommandError, match="^no handler is registered for OnboardClient$"):
        bus.handle(OnboardClient.model_construct(), Actor(tenant, "vera.vcio", "vcio"))


def test_no_one_signed_in_may_send_a_command(memory_ledger: Ledger) -> None:
    assert bus_with(memory_ledger).allows(None, OnboardClient) is False


def test_a_role_the_registration_names_may_send_its_command(memory_ledger: Ledger, tenant: str) -> None:
    assert bus_with(memory_ledger).allows(Actor(tenant, "vera.vcio", "vcio"), OnboardClient) is True


def test_a_role_the_registration_does_not_name_may_not_send_its_command(
        memory_ledger: Ledger, tenant: str) -> None:
    assert bus_with(memory_ledger).allows(Actor(tenant, "tom.tam", "tam"), OnboardClient) is False


def test_commands_are_sent_by_five_human_roles_and_two_machine_roles() -> None:
    assert (HUMAN_ROLES, MACHINE_ROLES, ROLES) == (
        ("admin", "committee", "vcio", "tam", "viewer"), ("scheduler", "integration"),
        ("admin", "committee", "vcio", "tam", "viewer", "scheduler", "integration"))


def test_an_admin_may_send_a_command_its_registration_does_not_name() -> None:
    assert Registration(OnboardClient, capture, frozenset({"vcio"})).allows("admin") is True
