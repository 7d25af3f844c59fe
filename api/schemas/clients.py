"""Client bodies: onboarding, profile changes, decision makers, offboarding, and the client as read."""

from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.alignment import ScorePointPublic
from api.schemas.common import CommandBody, Recorded, VersionCheck, ViewModel
from api.schemas.schedule import CadencePublic
from commands import types as t
from commands.clients import (
    AddDecisionMaker,
    EraseDecisionMaker,
    OffboardClient,
    OnboardClient,
    ReonboardClient,
)
from projections.client_directory import DirectoryClient
from projections.decision_makers import DecisionMaker
from projections.score_history import ScorePoint
from schedulers.client_cadence import ClientCadence


class ClientCreate(CommandBody, command=OnboardClient):
    """A new client of the MSP, with its size, complexity and assigned vCIO and TAM."""


class ClientProfileUpdate(CommandBody, VersionCheck, command=OnboardClient, partial=True):
    """The profile fields to change; fields left out keep their current value (sent to
    ``ChangeClientProfile`` as its ``changes``)."""

    # Onboarding may leave it null (the MSP's default); a change names a month. The default
    # only marks "absent", as for every field here.
    fiscal_year_start_month: Annotated[t.Month, Field(default=None)]


class DecisionMakerCreate(CommandBody, command=AddDecisionMaker, path=("client_id",)):
    """A person who can approve the client's spending (their personal data is sealed)."""


class DecisionMakerErasure(CommandBody, command=EraseDecisionMaker, path=("client_id", "decision_maker_id")):
    """Why the person is erased (the request's reference, not their name: this is kept)."""


class DecisionMakerPublic(ViewModel, view=DecisionMaker, exclude=("client_id",)):
    """A decision maker as the client's team sees them; ``name``, ``email`` and ``phone`` read
    ``[erased]`` once the person has been erased on request (``erased_at``)."""


class DecisionMakersPublic(BaseModel):
    """A client's decision makers, in the order they were added."""

    data: list[DecisionMakerPublic]
    count: int


class ClientOffboarding(CommandBody, command=OffboardClient, path=("client_id",)):
    """The day the client leaves and why; its meetings planned from that day are cancelled."""


class ClientReonboarding(CommandBody, command=ReonboardClient, path=("client_id",)):
    """Why an offboarded client is back."""


class ClientCreated(Recorded):
    client_id: UUID


class DecisionMakerCreated(Recorded):
    decision_maker_id: UUID


PLANNING_FIELDS = ("preferred_weekday", "preferred_time", "timezone", "override_meetings_per_year",
                   "override_touches_per_month", "override_reason")


class ClientPublic(ViewModel, view=DirectoryClient, exclude=PLANNING_FIELDS):
    """A client's profile from the client directory, the cadence it is planned with, and the
    score of its latest completed review (null before the first). The planning inputs are
    read at ``/clients/{id}/cadence``; the cadence and score come from beside the view."""

    cadence: CadencePublic
    latest_score: ScorePointPublic | None

    @classmethod
    def of(cls, client: DirectoryClient, cadence: ClientCadence, latest: ScorePoint | None) -> Self:
        return cls.of_view(client, cadence=cadence.cadence, latest_score=latest)


class ClientsPublic(ViewModel):
    """Clients by name and id. A paging envelope, not a view: ``next`` (when the page is full)
    is the ``after`` of the next page; ``total`` counts every page."""

    data: list[ClientPublic]
    count: int
    next: str | None = None
    total: int
