"""Administration bodies: API tokens and the read models' progress."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Body

Role = Literal["admin", "committee", "vcio", "tam", "viewer"]


class TokenCreate(Body):
    """A token for the admin's own tenant."""

    role: Role
    name: str = Field(min_length=1, max_length=200, description="Who or what will use it.")


class TokenCreated(BaseModel):
    """The token itself is shown this once; only its hash is stored."""

    token: str
    tenant: str
    role: Role
    name: str


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    tenant: str
    role: str
    created_at: datetime


class TokensPublic(BaseModel):
    data: list[TokenPublic]
    count: int


class ProjectionStatusPublic(BaseModel):
    """How far one read model has applied the event log, and what it had to set aside."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    generation: int
    position: int
    head: int
    lag: int
    dead_letters: int
    runner_active: bool
    runner_error: str | None = Field(description="What last stopped the runner, if it failed.")
    stuck: bool = Field(description="Behind the log with no runner, or a failing one.")


class ProjectionsStatusPublic(BaseModel):
    data: list[ProjectionStatusPublic]
    count: int


class HealthPublic(BaseModel):
    status: Literal["ok"]
    log_head: int
