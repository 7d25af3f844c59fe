"""The one way in: every entry point sends a command through ``CommandBus.handle``.

The bus looks the command's type up in the registry, refuses an actor whose role may not send
it (before any aggregate is loaded), and calls the handler with one ``Context``: the ledger and
the personal-data vault it depends on, plus who sends the command, when, and under which
idempotency key. Handlers all have the same shape, ``handler(command, context)``.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from commands.base import Command
from commands.context import Context, NoVault
from commands.ledger import Ledger
from commands.personal_data import PersonalDataVault
from commands.registry import REGISTRY, Registration
from commands.results import Actor, CommandResult


class NotPermittedError(Exception):
    """The actor's role may not send this command; nothing was loaded or recorded."""

    def __init__(self, command_name: str, role: str, roles: frozenset[str]) -> None:
        self.command_name = command_name
        self.role = role
        self.roles_needed = ("admin", *sorted(roles))
        super().__init__(f"{command_name} needs the role {' or '.join(self.roles_needed)}; "
                         f"the actor's role is {role}")


class UnknownCommandError(Exception):
    """A command type that the registry does not know (a wiring mistake, never user input)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class CommandBus:
    """Dispatches commands to their handlers, checking permission once, here."""

    def __init__(self, ledger: Ledger, vault: PersonalDataVault | None = None,
                 registry: Mapping[type[Command], Registration] = REGISTRY,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.ledger = ledger
        self.vault: PersonalDataVault = vault if vault is not None else NoVault()
        self.registry = registry
        self.clock = clock

    def registration(self, command_type: type[Command]) -> Registration:
        try:
            return self.registry[command_type]
        except KeyError:
            raise UnknownCommandError(f"no handler is registered for {command_type.__name__}") from None

    def allows(self, actor: Actor | None, command_type: type[Command]) -> bool:
        """Whether ``actor`` may send commands of this type (pages ask it which buttons to show)."""
        return actor is not None and self.registration(command_type).allows(actor.role)

    def check(self, actor: Actor, command_type: type[Command]) -> Registration:
        """The command type's registration, or ``NotPermittedError`` if ``actor`` may not send it."""
        registration = self.registration(command_type)
        if not registration.allows(actor.role):
            raise NotPermittedError(command_type.__name__, actor.role, registration.roles)
        return registration

    def handle(self, command: Command, actor: Actor, now: datetime | None = None,
               idempotency_key: str | None = None) -> CommandResult:
        """Carry out ``command`` as ``actor`` at ``now`` (default: the bus's clock)."""
        registration = self.check(actor, type(command))
        context = Context(self.ledger, self.vault, actor, now or self.clock(), idempotency_key)
        return registration.handler(command, context)
