"""The shape shared by all command models: frozen, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict, Field


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChangeCommand(Command):
    """A command on an existing aggregate; ``expected_version`` turns a race into a 409."""

    expected_version: int | None = Field(default=None, ge=1)
