"""Client bodies: onboarding, profile changes, decision makers, and the client as read."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from api.schemas.alignment import ScorePointPublic
from api.schemas.common import Recorded, VersionCheck
from api.schemas.schedule import CadencePublic, planned_cadence
from commands.clients import Name, OnboardClient
from projections.client_directory import DirectoryClient
from projections.score_history import ScorePoint
from schedulers.cadence_rules import PlanningRules


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
    """A client's profile from the client directory, the cadence it is planned with, and the
    score of its latest completed review (null before the first)."""

    client_id: UUID
    name: str
    mrr: Decimal
    user_count: int
    complexity: int
    industry: str
    fiscal_year_start_month: int
    vcio: str
    tam: str
    onboarded_at: datetime
    cadence: CadencePublic
    latest_score: ScorePointPublic | None

    @classmethod
    def of(cls, client: DirectoryClient, rules: PlanningRules, latest: ScorePoint | None) -> Self:
        return cls(
            client_id=client.client_id,
            name=client.name,
            mrr=client.mrr,
            user_count=client.user_count,
            complexity=client.complexity,
            industry=client.industry,
            fiscal_year_start_month=client.fiscal_year_start_month,
            vcio=client.vcio,
            tam=client.tam,
            onboarded_at=client.onboarded_at,
            cadence=CadencePublic.model_validate(planned_cadence(client, rules)),
            latest_score=ScorePointPublic.model_validate(latest) if latest else None,
        )


class ClientsPublic(BaseModel):
    """Clients by name."""

    data: list[ClientPublic]
    count: int
