"""Administration bodies: API tokens and the read models' progress."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Body, ViewModel
from commands.types import Text
from projections.runner import ProjectionStatus

Role = Literal["admin", "committee", "vcio", "tam", "viewer"]


class TokenCreate(Body):
    """A token for the admin's own tenant, valid until revoked or for ``expires_in_days``."""

    role: Role
    name: Text = Field(description="Who or what will use it.")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650,
                                        description="Days until it expires; never when omitted.")


class TokenPublic(BaseModel):
    """A token as listed (never the token itself). Its own model: the token store belongs to
    the composition root, which the API does not import."""

    model_config = ConfigDict(from_attributes=True)

    token_id: UUID
    name: str
    tenant: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class TokenCreated(TokenPublic):
    """The token itself is shown this once; only its hash is stored."""

    token: str


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
    """The service can read its event log and every read model is followed; no figures (they
    would show every tenant's activity to anyone who reaches the port)."""

    status: Literal["ok"]


class StatusPublic(BaseModel):
    """The figures behind ``/health``, for an admin: the log head and each read model."""

    status: Literal["ok", "degraded"]
    log_head: int
    stuck_read_models: list[str]
    read_models: list[ProjectionStatusPublic]
