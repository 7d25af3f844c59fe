"""Administration bodies: API tokens and the read models' progress."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Body, ViewModel
from projections.runner import ProjectionStatus

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
    """A token as listed (never the token itself). Its own model: the token store belongs to
    the composition root, which the API does not import."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    tenant: str
    role: str
    created_at: datetime


class TokensPublic(BaseModel):
    """A paging envelope."""

    data: list[TokenPublic]
    count: int


class ProjectionStatusPublic(ViewModel, view=ProjectionStatus, properties=("stuck",)):
    """How far one read model has applied the event log, and what it had to set aside."""


class ProjectionsStatusPublic(BaseModel):
    """A paging envelope."""

    data: list[ProjectionStatusPublic]
    count: int


class HealthPublic(BaseModel):
    """The service is up, and how far the log goes (no read model involved)."""

    status: Literal["ok"]
    log_head: int
