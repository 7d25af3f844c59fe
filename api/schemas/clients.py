"""Client bodies: onboarding, profile changes, decision makers, and the client as read."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from api.schemas.common import Recorded, VersionCheck
from commands.clients import Name, OnboardClient


class ClientCreate(OnboardClient):
    """A new client of the MSP, with its size, complexity and assigned vCIO and TAM."""


class ClientProfileUpdate(VersionCheck):
    """The profile fields to change; fields left out keep their current value."""

    name: Name | None = None
    mrr: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    user_count: int | None = Field(default=None, ge=0)
    complexity: int | None = Field(default=None, ge=1, le=10)
    industry: Name | None = None
    fiscal_year_start_month: int | None = Field(default=None, ge=1, le=12)
    vcio: Name | None = None
    tam: Name | None = None


class DecisionMakerCreate(VersionCheck):
    """A person who can approve the client's spending (their personal data is sealed)."""

    name: Name
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""


class ClientCreated(Recorded):
    client_id: UUID


class DecisionMakerCreated(Recorded):
    decision_maker_id: UUID


class ClientPublic(BaseModel):
    """A client as the alignment read model knows it: its name and latest review's standing."""

    client_id: UUID
    name: str
    review_id: UUID | None
    review_number: int | None
    review_status: str | None
    started_at: datetime | None
    completed_at: datetime | None
    score: Decimal | None
    coverage: Decimal | None
