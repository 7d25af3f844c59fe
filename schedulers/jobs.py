"""The scheduler's jobs: verbs that take ``now`` and issue commands, safe to run any number of
times, on any number of processes.

Each write carries an idempotency key derived from what it records (``plan:{client}:{year}``,
``committee-plan:{year}``, a notice's subject and due date), and the aggregates refuse a second
plan for a year or a second notice of the same thing. So a repeated or concurrent run records
nothing twice: it finds the first run's result, or the aggregate's refusal, and reports the
subject as already done. Clients and tenants are listed from the ``client_directory`` read
model; what a plan is made from (profile, override, preference) is read from the ``Client``
aggregate, so a lagging read model can delay a plan but never shape it. An offboarded client is
not planned (its outcome says so), whatever the read model lists.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol
from uuid import UUID

from psycopg import Connection
from psycopg_pool import ConnectionPool

from aggregates.cadence_rules import Cadence, PlanningRules
from aggregates.client import Client
from aggregates.errors import MeetingPlanAlreadyScheduledError, NoticeAlreadyGivenError
from commands.bus import CommandBus
from commands.cadence import (
    PlanClientMeetings,
    PlanCommitteeMeetings,
    ProposedMeeting,
    load_msp_calendar,
)
from commands.ledger import IdempotencyKeyReusedError, Ledger
from commands.results import Actor, CommandResult
from events.vocabulary import MeetingKind
from projections.catalog import ProjectionReader
from projections.client_directory import ClientDirectoryView
from schedulers.annual_plan import DayShape, ProposedDate, period_start, plan_meetings, plan_single
from schedulers.store import SchedulerStore

SCHEDULER = "vcio-scheduler"
ALREADY_DONE = (MeetingPlanAlreadyScheduledError, NoticeAlreadyGivenError,
                IdempotencyKeyReusedError)


class LedgerServices(Protocol):
    """What the jobs need of the wired services (``runtime.services.Services`` has it)."""

    @property
    def ledger(self) -> Ledger: ...
    @property
    def bus(self) -> CommandBus: ...
    @property
    def reader(self) -> ProjectionReader: ...
    @property
    def pool(self) -> ConnectionPool[Connection[Any]]: ...


def scheduler_actor(tenant: str) -> Actor:
    return Actor(tenant=tenant, name=SCHEDULER, role="scheduler")


@dataclass(frozen=True)
class ClientPlan:
    """One client's plan for a year, and what this run did about it."""

    tenant: str
    client_id: UUID
    client_name: str
    vcio: str
    year: int
    period_start: date | None
    cadence: Cadence
    meetings: tuple[ProposedDate, ...]
    outcome: str  # planned | already planned | dry run | year over | offboarded


@dataclass(frozen=True)
class CommitteePlan:
    tenant: str
    year: int
    period_start: date | None
    meetings: tuple[ProposedDate, ...]
    library_review: ProposedDate | None
    outcome: str


@dataclass(frozen=True)
class YearPlan:
    year: int
    as_of: datetime
    clients: list[ClientPlan]
    committees: list[CommitteePlan]


def outcome_of(result: CommandResult) -> str:
    return "already planned" if result.replayed else "planned"


def client_shape(client: Client, rules: PlanningRules) -> DayShape:
    """The client's preferred weekday and time (in its own zone) over the MSP's defaults."""
    preference = client.meeting_preference
    time_of_day = rules.meeting_time
    if preference and preference.time_of_day:
        time_of_day = time.fromisoformat(preference.time_of_day)
    return DayShape(time_of_day=time_of_day,
                    timezone=preference.timezone if preference else rules.timezone,
                    weekday=preference.weekday if preference else None,
                    holidays=frozenset(rules.holidays))


def msp_shape(rules: PlanningRules) -> DayShape:
    return DayShape(time_of_day=rules.meeting_time, timezone=rules.timezone,
                    holidays=frozenset(rules.holidays))


def proposed(meetings: Iterable[ProposedDate]) -> list[ProposedMeeting]:
    return [ProposedMeeting(kind=m.kind, scheduled_for=m.scheduled_for) for m in meetings]


def plan_client(services: LedgerServices, store: SchedulerStore, tenant: str, client_id: UUID,
                year: int, now: datetime, dry_run: bool = False) -> ClientPlan:
    """Plan one client's ``year`` (the part of it still ahead of ``now``)."""
    actor = scheduler_actor(tenant)
    client = services.ledger.load_client(actor, client_id)
    rules = store.rules_for(tenant, now)
    profile = client.profile_on(now.date())  # a change dated later does not plan this year yet
    cadence = rules.cadence_for(profile.mrr, profile.user_count, profile.complexity,
                                client.cadence_override)
    start = period_start(year, now, rules.min_lead_days)
    meetings = tuple(plan_meetings(year, cadence.meetings_per_year, MeetingKind.STRATEGY_MEETING,
                                   client_shape(client, rules), start, seed=client_id.int)
                     ) if start else ()

    def report(outcome: str) -> ClientPlan:
        return ClientPlan(tenant, client_id, profile.name, profile.vcio, year, start, cadence,
                          meetings, outcome)

    if client.offboarded_on is not None:
        return report("offboarded")
    if client.has_meeting_plan(year):
        return report("already planned")
    if start is None:
        return report("year over")
    if dry_run:
        return report("dry run")
    command = PlanClientMeetings(
        client_id=client_id, year=year, period_start=start, meetings=proposed(meetings),
        meetings_per_year=cadence.meetings_per_year, touches_per_month=cadence.touches_per_month,
        cadence_source=cadence.source)
    try:
        result = services.bus.handle(command, actor, now, f"plan:{client_id}:{year}")
    except ALREADY_DONE:
        return report("already planned")
    return report(outcome_of(result))


def plan_year(services: LedgerServices, year: int, now: datetime, client: UUID | None = None,
              dry_run: bool = False, tenant: str | None = None) -> YearPlan:
    """Plan ``year`` for every client (of ``tenant``, or only ``client``): one
    ``MeetingPlanScheduled`` per client and year, then its ``MeetingScheduled`` events."""
    directory = ClientDirectoryView(services.reader)
    store = SchedulerStore(services.pool)
    if client is not None:
        found = directory.locate(client)
        if found is None or (tenant is not None and found.tenant != tenant):
            raise LookupError(f"no client {client} in the client directory")
        targets = [(found.tenant, found.client_id)]
    else:
        tenants = [tenant] if tenant is not None else directory.tenants()
        targets = [(t, c.client_id) for t in tenants for c in directory.clients(t)]
    plans = [plan_client(services, store, t, c, year, now, dry_run) for t, c in targets]
    return YearPlan(year, now, plans, [])


def plan_committee_year(services: LedgerServices, year: int, now: datetime,
                        tenant: str | None = None, dry_run: bool = False) -> list[CommitteePlan]:
    """The standards committee's meetings and the yearly library review, per MSP."""
    store = SchedulerStore(services.pool)
    tenants = [tenant] if tenant is not None else ClientDirectoryView(services.reader).tenants()
    return [plan_committee(services, store, t, year, now, dry_run) for t in tenants]


def plan_committee(services: LedgerServices, store: SchedulerStore, tenant: str, year: int,
                   now: datetime, dry_run: bool = False) -> CommitteePlan:
    actor = scheduler_actor(tenant)
    rules = store.rules_for(tenant, now)
    start = period_start(year, now, rules.min_lead_days)
    shape = msp_shape(rules)
    meetings = tuple(plan_meetings(year, rules.committee_meetings_per_year,
                                   MeetingKind.STANDARDS_COMMITTEE, shape, start)) if start else ()
    review = (plan_single(year, rules.library_review_month, MeetingKind.STANDARDS_COMMITTEE,
                          shape, start) if start else None)

    def report(outcome: str) -> CommitteePlan:
        return CommitteePlan(tenant, year, start, meetings, review, outcome)

    calendar = load_msp_calendar(services.ledger, actor)
    if calendar is not None and calendar.has_committee_plan(year):
        return report("already planned")
    if start is None:
        return report("year over")
    if dry_run:
        return report("dry run")
    command = PlanCommitteeMeetings(year=year, period_start=start, meetings=proposed(meetings),
                                    library_review_at=review.scheduled_for if review else None)
    try:
        result = services.bus.handle(command, actor, now, f"committee-plan:{year}")
    except ALREADY_DONE:
        return report("already planned")
    return report(outcome_of(result))


def plan_annual(services: LedgerServices, now: datetime, tenant: str | None = None) -> YearPlan:
    """The yearly job: run in the second half of a year it plans the next year, otherwise the
    rest of the current one; clients and the committee alike."""
    year = now.year + 1 if now.month >= 7 else now.year
    plan = plan_year(services, year, now, tenant=tenant)
    return YearPlan(year, now, plan.clients, plan_committee_year(services, year, now, tenant))


def plan_onboarded(services: LedgerServices, now: datetime, next_year_open: bool = False,
                   tenant: str | None = None) -> list[ClientPlan | CommitteePlan]:
    """Plan the rest of the current year for clients (and committees) without a plan: clients
    onboarded since the yearly run, or before the scheduler ran at all. Once the yearly run's
    date has passed (``next_year_open``), the next year is planned for them too."""
    directory = ClientDirectoryView(services.reader)
    store = SchedulerStore(services.pool)
    years = [now.year, now.year + 1] if next_year_open else [now.year]
    done: list[ClientPlan | CommitteePlan] = []
    for each in [tenant] if tenant is not None else directory.tenants():
        for year in years:
            for client in directory.clients_without_plan(each, year):
                done.append(plan_client(services, store, each, client.client_id, year, now))
            if not directory.has_committee_plan(each, year):
                done.append(plan_committee(services, store, each, year, now))
    return [p for p in done if p.outcome == "planned"]
