"""Meetings with a client: the vCIO schedules them, sets the agenda, holds, moves or cancels
them; the calendar reads them back per client, per vCIO or for the whole MSP."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from aggregates.errors import InvalidValueError
from api.dependencies import (
    ActorDep,
    ApiServices,
    FreshCalendarDep,
    IdempotencyKeyDep,
    KnownClientIdDep,
    ServicesDep,
    sends,
)
from api.errors import RECORD_RESPONSES
from api.schemas.common import Recorded, to_command
from api.schemas.strategy_public import MeetingCalendarPublic
from api.schemas.strategy_requests import (
    AgendaPut,
    MeetingCancellation,
    MeetingCreate,
    MeetingCreated,
    MeetingHolding,
    MeetingReschedule,
)
from commands.meetings import (
    CancelMeeting,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
    SetMeetingAgenda,
)
from projections.fiscal import Period, add_months, month_start

router = APIRouter(tags=["meetings"], responses=RECORD_RESPONSES)
CLIENT_MEETINGS = "/clients/{client_id}/meetings"

StartQuery = Annotated[date | None, Query(description="First day; default: this month's first.")]
EndQuery = Annotated[date | None, Query(description="Day after the last; default: 12 months on.")]
TodayQuery = Annotated[date | None, Query(description="Overdue means before this day; default: today.")]


def period_of(services: ApiServices, start: date | None, end: date | None) -> Period:
    first = start or month_start(services.clock().date())
    last = end or add_months(first, 12)
    if last <= first:
        raise InvalidValueError("end", "must be after start")
    return Period(first, last)


@router.get("/meeting-calendar")
def get_calendar(services: ServicesDep, actor: ActorDep, _: FreshCalendarDep, start: StartQuery = None,
                 end: EndQuery = None, today: TodayQuery = None,
                 vcio: Annotated[str | None, Query(description="One vCIO's clients only.")] = None,
                 ) -> MeetingCalendarPublic:
    """Read the MSP's (or one vCIO's) meetings in a period, with open action items."""
    found = services.meeting_calendar.calendar(actor.tenant, period_of(services, start, end),
                                               today or services.clock().date(), vcio=vcio)
    return MeetingCalendarPublic.model_validate(found)


@router.get(CLIENT_MEETINGS)
def get_client_calendar(client_id: KnownClientIdDep, services: ServicesDep, actor: ActorDep,
                        start: StartQuery = None, end: EndQuery = None,
                        today: TodayQuery = None) -> MeetingCalendarPublic:
    """Read one client's meetings in a period, with its open action items."""
    found = services.meeting_calendar.calendar(actor.tenant, period_of(services, start, end),
                                               today or services.clock().date(),
                                               client_id=client_id)
    return MeetingCalendarPublic.model_validate(found)


@router.post(CLIENT_MEETINGS, status_code=status.HTTP_201_CREATED, dependencies=[sends(ScheduleMeeting)])
def schedule(client_id: UUID, body: MeetingCreate, services: ServicesDep, actor: ActorDep,
             idempotency_key: IdempotencyKeyDep = None) -> MeetingCreated:
    """Schedule a meeting with the client."""
    command = to_command(ScheduleMeeting, body, client_id=client_id)
    result = services.bus.handle(command, actor, idempotency_key=idempotency_key)
    return MeetingCreated.of(result, meeting_id=result.created_id)


@router.put(CLIENT_MEETINGS + "/{meeting_id}/agenda", dependencies=[sends(SetMeetingAgenda)])
def set_agenda(client_id: UUID, meeting_id: UUID, body: AgendaPut, services: ServicesDep,
               actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Set the meeting's whole agenda."""
    command = to_command(SetMeetingAgenda, body, client_id=client_id, meeting_id=meeting_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post(CLIENT_MEETINGS + "/{meeting_id}/hold", dependencies=[sends(HoldMeeting)])
def hold(client_id: UUID, meeting_id: UUID, services: ServicesDep, actor: ActorDep,
         body: MeetingHolding | None = None, idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Record that the meeting was held, with a summary."""
    command = to_command(HoldMeeting, body, client_id=client_id, meeting_id=meeting_id)
    return Recorded.of(services.bus.handle(command, actor, services.clock(), idempotency_key))


@router.post(CLIENT_MEETINGS + "/{meeting_id}/reschedule", dependencies=[sends(RescheduleMeeting)])
def reschedule(client_id: UUID, meeting_id: UUID, body: MeetingReschedule, services: ServicesDep,
               actor: ActorDep, idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Move a planned meeting to another time."""
    command = to_command(RescheduleMeeting, body, client_id=client_id, meeting_id=meeting_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))


@router.post(CLIENT_MEETINGS + "/{meeting_id}/cancel", dependencies=[sends(CancelMeeting)])
def cancel(client_id: UUID, meeting_id: UUID, services: ServicesDep, actor: ActorDep,
           body: MeetingCancellation | None = None,
           idempotency_key: IdempotencyKeyDep = None) -> Recorded:
    """Cancel a planned meeting."""
    command = to_command(CancelMeeting, body, client_id=client_id, meeting_id=meeting_id)
    return Recorded.of(services.bus.handle(command, actor, idempotency_key=idempotency_key))
