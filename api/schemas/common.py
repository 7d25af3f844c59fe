"""Bodies shared by every write: the optional expected version in, the write's outcome out."""

from typing import Any, Self, TypeVar
from uuid import UUID

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commands.base import Command
from commands.results import CommandResult

C = TypeVar("C", bound=Command)


class Body(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class VersionCheck(Body):
    """Optimistic concurrency: the version the caller last saw; a mismatch answers 409."""

    expected_version: int | None = Field(default=None, ge=1)


class Recorded(BaseModel):
    """What a write did: the aggregate it changed, its new version, and where its events sit
    in the log (pass ``position`` as ``?wait_for=`` on a read to see this write)."""

    aggregate_id: UUID
    version: int
    position: int | None = Field(
        description="Log position of the events (a replay answers the first request's); "
        "null only when the command changed nothing."
    )
    replayed: bool = Field(
        description="True when an earlier request with the same Idempotency-Key is being answered again."
    )

    @classmethod
    def of(cls, result: CommandResult, **ids: UUID | None) -> Self:
        return cls(
            aggregate_id=result.aggregate_id,
            version=result.version,
            position=result.position,
            replayed=result.replayed,
            **ids,
        )


def to_command(kind: type[C], body: BaseModel | None = None, **ids: Any) -> C:
    """The command a request asks for: the body's fields plus the ids from the path.

    A value the command refuses is reported like any other invalid body field (``body.x``).
    """
    fields = body.model_dump(exclude_unset=True) if body is not None else {}
    try:
        return kind.model_validate({**fields, **ids})
    except ValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from None


class Problem(BaseModel):
    """What was wrong, and with which field."""

    field: str
    reason: str


class ProblemPublic(BaseModel):
    """A refused request: one problem (a broken rule), or a list (an invalid body or query)."""

    detail: Problem | list[Problem]


class MessagePublic(BaseModel):
    detail: str
