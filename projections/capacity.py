"""Read model: can each vCIO and TAM carry their clients?

No tables of its own: it composes the client directory (active clients, their vCIO, TAM, MRR,
size and cadence override), the meeting calendar (meetings still planned) and the MSP's settings
(target bands and cadence rules in force). Per person: clients and MRR against the MSP's bands
(a vCIO carries about 35-45 clients and 105,000-135,000 MRR by default; the brief sets no TAM
band, so a TAM is placed against the same ones), the strategy meetings planned and the unique
touches their clients' cadence asks for, month by month over the next 12 months, each against the
MSP's meetings and touches bands per vCIO month (11-23 and 35-90 by default), and the clients
that push them over the band: the most recently onboarded beyond its high end.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from aggregates.cadence_rules import PlanningRules
from aggregates.cadence_state import CadenceOverride
from projections.client_directory import ClientDirectoryView, DirectoryClient
from projections.fiscal import Period, add_months, month_start, months_from
from projections.meeting_calendar import MeetingCalendarView
from projections.msp_settings import MspSettingsView
from projections.targets import Targets

MONTHS_AHEAD = 12
ACTIVE_MEETING = frozenset({"planned", "rescheduled"})


@dataclass(frozen=True)
class MonthLoad:
    """One month's strategy meetings planned and cadence touches, placed against the MSP's
    per-vCIO-month bands (below / in / above)."""

    month: date
    meetings: int
    touches: int
    meetings_band: str | None
    touches_band: str | None


@dataclass(frozen=True)
class CapacityClient:
    client_id: UUID
    name: str
    mrr: Decimal
    onboarded_at: datetime


@dataclass(frozen=True)
class PersonLoad:
    """One vCIO's or TAM's load; bands are below / in / above."""

    person: str
    role: str
    clients: int
    mrr: Decimal
    clients_band: str | None
    mrr_band: str | None
    months: tuple[MonthLoad, ...]
    pushing_over: tuple[CapacityClient, ...]


@dataclass(frozen=True)
class Capacity:
    tenant: str
    first_month: date
    targets: Targets
    vcios: list[PersonLoad]
    tams: list[PersonLoad]


def touches_per_month(rules: PlanningRules, client: DirectoryClient) -> int:
    override = None
    if client.override_meetings_per_year is not None and client.override_touches_per_month is not None:
        override = CadenceOverride(client.override_meetings_per_year, client.override_touches_per_month,
                                   client.override_reason or "")
    return rules.cadence_for(client.mrr, client.user_count, client.complexity, override).touches_per_month


def month_load(month: date, meetings: int, touches: int, targets: Targets) -> MonthLoad:
    return MonthLoad(month, meetings, touches,
                     targets.meetings_per_vcio_month.place(Decimal(meetings)),
                     targets.touches_per_vcio_month.place(Decimal(touches)))


class CapacityView:
    """Each vCIO's and TAM's load against the MSP's targets."""

    def __init__(self, directory: ClientDirectoryView, calendar: MeetingCalendarView,
                 settings: MspSettingsView) -> None:
        self.directory = directory
        self.calendar = calendar
        self.settings = settings

    def capacity(self, tenant: str, now: datetime) -> Capacity:
        """Loads from the month of ``now`` on, for the next 12 months."""
        first = month_start(now.date())
        months = months_from(first, MONTHS_AHEAD)
        targets = self.settings.target_bands(tenant, now)
        rules = self.settings.cadence_rules_or_defaults(tenant, now)
        clients = self.directory.clients(tenant)
        ahead = self.calendar.calendar(tenant, Period(now.date(), add_months(first, MONTHS_AHEAD)),
                                       now.date()).meetings
        meetings: dict[tuple[object, date], int] = defaultdict(int)
        for meeting in ahead:
            if meeting.status in ACTIVE_MEETING and meeting.scheduled_for >= now:
                meetings[(meeting.client_id, month_start(meeting.scheduled_for.date()))] += 1

        def load(person: str, role: str, theirs: list[DirectoryClient]) -> PersonLoad:
            mrr = sum((c.mrr for c in theirs), Decimal(0))
            excess = max(0, len(theirs) - int(targets.clients_per_vcio.high))
            newest = sorted(theirs, key=lambda c: (c.onboarded_at, str(c.client_id)), reverse=True)
            return PersonLoad(
                person, role, len(theirs), mrr, targets.clients_per_vcio.place(Decimal(len(theirs))),
                targets.mrr_per_vcio.place(mrr),
                tuple(month_load(month, sum(meetings[(c.client_id, month)] for c in theirs),
                                 sum(touches_per_month(rules, c) for c in theirs), targets)
                      for month in months),
                tuple(CapacityClient(c.client_id, c.name, c.mrr, c.onboarded_at)
                      for c in newest[:excess]))

        by_vcio: dict[str, list[DirectoryClient]] = defaultdict(list)
        by_tam: dict[str, list[DirectoryClient]] = defaultdict(list)
        for client in clients:
            by_vcio[client.vcio].append(client)
            by_tam[client.tam].append(client)
        return Capacity(tenant, first, targets,
                        [load(v, "vcio", by_vcio[v]) for v in sorted(by_vcio)],
                        [load(t, "tam", by_tam[t]) for t in sorted(by_tam)])
