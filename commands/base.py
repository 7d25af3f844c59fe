"""The shape shared by all command models: frozen, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict

from commands.types import Version


class Command(BaseModel):
    """A request to change the ledger; every concrete one has a line in ``commands.registry``."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CommandPart(BaseModel):
    """A value inside a command (one answer of a batch, one proposed meeting); never sent alone."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ChangeCommand(Command):
    """A command on an existing aggregate; ``expected_version`` turns a race into a 409."""

    expected_version: Version | None = None
