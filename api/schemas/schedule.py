"""Cadence and annual-plan bodies: a client's cadence (by the MSP's rules, or overridden), its
meeting preference, the year's meeting plan as recorded, and what a planning run did.

``source`` says where a cadence comes from: ``rule:<name>`` (the first matching row of the
MSP's cadence table) or ``override`` (set by hand, with a reason).
"""

from typing import Self
from uuid import UUID

from aggregates.cadence_state import CadenceOverride, MeetingPreference
from api.schemas.common import CommandBody, ViewModel
from commands.cadence import OverrideClientCadence, SetMeetingPreference
from projections.client_directory import DirectoryClient, MeetingPlan, PlanMeeting
from schedulers.annual_plan import ProposedDate
from schedulers.client_cadence import Cadence, ClientCadence
from schedulers.jobs import ClientPlan, CommitteePlan, YearPlan


class CadencePublic(ViewModel, view=Cadence):
    """Strategy meetings a year and unique touches a month, and where they come from."""


class CadenceOverridePublic(ViewModel, view=CadenceOverride):
    """A cadence set by hand, and why."""


class MeetingPreferencePublic(ViewModel, view=MeetingPreference):
    """``weekday`` 1 (Monday) to 5 (Friday); ``time_of_day`` HH:MM in ``timezone``."""


class ClientCadenceSettingsPublic(ViewModel, view=ClientCadence):
    """The cadence the client is planned with, what the MSP's rules alone would give, the
    override (if any) and when the client likes to meet. Names the client beside its cadence."""

    client_id: UUID
    client_name: str
    vcio: str

    @classmethod
    def of(cls, client: DirectoryClient, cadence: ClientCadence) -> Self:
        return cls.of_view(cadence, client_id=client.client_id, client_name=client.name, vcio=client.vcio)


class CadenceOverridePut(CommandBody, command=OverrideClientCadence, path=("client_id",)):
    """A cadence set by hand; it wins over the MSP's rules until cleared."""


class MeetingPreferencePut(CommandBody, command=SetMeetingPreference, path=("client_id",)):
    """When the client likes to meet; plans made afterwards honour it. ``weekday`` 1 (Monday)
    to 5 (Friday); ``time_of_day`` HH:MM (24-hour clock) in ``timezone``, an IANA time zone
    such as Europe/Berlin."""


class PlanMeetingPublic(ViewModel, view=PlanMeeting):
    """One meeting of a recorded plan."""


class MeetingPlanPublic(ViewModel, view=MeetingPlan):
    """A year's plan as it was recorded (later moves are the meeting calendar's business)."""


class ProposedDatePublic(ViewModel, view=ProposedDate):
    """A date the planner proposes for one meeting."""


class ClientPlanPublic(ViewModel, view=ClientPlan):
    """``outcome``: planned, already planned, dry run, or year over."""


class CommitteePlanPublic(ViewModel, view=CommitteePlan):
    """The standards committee's meetings of the year and its yearly library review."""


class YearPlanPublic(ViewModel, view=YearPlan):
    """What a planning run did; pass ``position`` as ``?wait_for=`` to read the new plans (null
    when nothing was planned). ``position`` is the log's, not the plan's: the one added field."""

    position: int | None
