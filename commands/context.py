"""What every handler receives: ``handler(command, context)``.

The context carries the handler's dependencies (the ledger, the personal-data vault) and the
call's who, when and idempotency key, so every handler has the same signature whoever calls it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from commands.base import Command
from commands.ledger import Ledger
from commands.personal_data import PersonalDataVault
from commands.results import Actor, CommandResult

C_contra = TypeVar("C_contra", bound=Command, contravariant=True)


class NoVault:
    """Stands in where no personal-data vault was wired; sealing then fails loudly."""

    def seal(self, person_id: object, value: str) -> str:
        raise RuntimeError("this bus was built without a personal-data vault")

    def unseal(self, person_id: object, sealed: str) -> str:
        raise RuntimeError("this bus was built without a personal-data vault")

    def unseal_all(self, person_id: object, sealed: Sequence[str]) -> list[str]:
        raise RuntimeError("this bus was built without a personal-data vault")

    def forget(self, person_id: object) -> None:
        raise RuntimeError("this bus was built without a personal-data vault")


@dataclass(frozen=True)
class Context:
    """What a handler gets besides its command: its dependencies and the call's who and when."""

    ledger: Ledger
    vault: PersonalDataVault
    actor: Actor
    now: datetime
    idempotency_key: str | None = None


class Handler(Protocol[C_contra]):
    def __call__(self, cmd: C_contra, ctx: Context, /) -> CommandResult: ...
