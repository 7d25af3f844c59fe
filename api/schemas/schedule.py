"""Cadence and annual-plan bodies: a client's cadence (by the MSP's rules, or overridden), its
meeting preference, the year's meeting plan as recorded, and what a planning run did.

``source`` says where a cadence comes from: ``rule:<name>`` (the first matching row of the
MSP's cadence table) or ``override`` (set by hand, with a reason).
"""

from datetime import date, datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aggregates.cadence_state import CadenceOverride
from api.schemas.common import VersionCheck
from commands.cadence import MeetingsPerYear, Reason, TouchesPerMonth
from events.vocabulary import MeetingKind
from projections.client_directory import DirectoryClient
from schedulers.cadence_rules import Cadence, PlanningRules


def override_of(client: DirectoryClient) -> CadenceOverride | None:
    if client.override_meetings_per_year is None or client.override_touches_per_month is None:
        return None
    return CadenceOverride(
        client.override_meetings_per_year, client.override_touches_per_month, client.override_reason or ""
    )


def planned_cadence(client: DirectoryClient, rules: PlanningRules) -> Cadence:
    """What the next plan will use: the client's override, else the MSP's first matching rule."""
    return rules.cadence_for(client.mrr, client.user_count, client.complexity, override_of(client))


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CadencePublic(ReadModel):
    meetings_per_year: int
    touches_per_month: int
    source: str


class CadenceOverridePublic(ReadModel):
    meetings_per_year: int
    touches_per_month: int
    reason: str


class MeetingPreferencePublic(BaseModel):
    """``weekday`` 1 (Monday) to 5 (Friday); ``time_of_day`` HH:MM in ``timezone``."""

    weekday: int | None
    time_of_day: str | None
    timezone: str


class ClientCadenceSettingsPublic(BaseModel):
    """The cadence the client is planned with, what the MSP's rules alone would give, the
    override (if any) and when the client likes to meet."""

    client_id: UUID
    client_name: str
    vcio: str
    cadence: CadencePublic
    by_rules: CadencePublic
    override: CadenceOverridePublic | None
    meeting_preference: MeetingPreferencePublic | None

    @classmethod
    def of(cls, client: DirectoryClient, rules: PlanningRules) -> Self:
        override = override_of(client)
        preference = None
        if client.timezone is not None:
            preference = MeetingPreferencePublic(
                weekday=client.preferred_weekday, time_of_day=client.preferred_time, timezone=client.timezone
            )
        return cls(
            client_id=client.client_id,
            client_name=client.name,
            vcio=client.vcio,
            cadence=CadencePublic.model_validate(planned_cadence(client, rules)),
            by_rules=CadencePublic.model_validate(
                rules.cadence_for(client.mrr, client.user_count, client.complexity)
            ),
            override=CadenceOverridePublic.model_validate(override) if override else None,
            meeting_preference=preference,
        )


class CadenceOverridePut(VersionCheck):
    """A cadence set by hand; it wins over the MSP's rules until cleared."""

    meetings_per_year: MeetingsPerYear
    touches_per_month: TouchesPerMonth
    reason: Reason


class MeetingPreferencePut(VersionCheck):
    """When the client likes to meet; plans made afterwards honour it."""

    weekday: int | None = Field(default=None, ge=1, le=5, description="1 = Monday ... 5 = Friday")
    time_of_day: str | None = Field(default=None, description="HH:MM, 24-hour clock")
    timezone: str = Field(default="UTC", description="An IANA time zone, e.g. Europe/Berlin")


class PlanMeetingPublic(ReadModel):
    meeting_id: UUID
    kind: str
    scheduled_for: datetime


class MeetingPlanPublic(ReadModel):
    """A year's plan as it was recorded (later moves are the meeting calendar's business)."""

    subject_id: UUID
    subject: str
    name: str | None
    vcio: str | None
    year: int
    period_start: date
    meetings: list[PlanMeetingPublic]
    meetings_per_year: int
    touches_per_month: int
    cadence_source: str
    planned_as_of: datetime
    library_review_at: datetime | None


class ProposedDatePublic(ReadModel):
    sequence: int
    kind: MeetingKind
    scheduled_for: datetime


class ClientPlanPublic(ReadModel):
    """``outcome``: planned, already planned, dry run, or year over."""

    client_id: UUID
    client_name: str
    vcio: str
    year: int
    period_start: date | None
    cadence: CadencePublic
    meetings: list[ProposedDatePublic]
    outcome: str


class CommitteePlanPublic(ReadModel):
    year: int
    period_start: date | None
    meetings: list[ProposedDatePublic]
    library_review: ProposedDatePublic | None
    outcome: str


class YearPlanPublic(ReadModel):
    """What a planning run did; pass ``position`` as ``?wait_for=`` to read the new plans (null
    when nothing was planned)."""

    year: int
    as_of: datetime
    clients: list[ClientPlanPublic]
    committees: list[CommitteePlanPublic]
    position: int | None
