"""The annual plan: an admin plans a year by hand (what the December job does), and calendars
subscribe to the plan as iCalendar feeds per client, per vCIO and for the standards committee.

Feeds show meetings as they are now: a moved meeting keeps its ``UID`` and bumps ``SEQUENCE``,
a cancelled one stays as ``CANCELLED``, so subscribed calendars update in place.
"""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from aggregates.errors import NotFoundError
from api.dependencies import (
    ActorDep,
    AdminDep,
    FreshCalendarDep,
    FreshDep,
    FreshDirectoryDep,
    KnownClientIdDep,
    ServicesDep,
)
from api.errors import RECORD_RESPONSES
from api.schemas.schedule import YearPlanPublic
from schedulers.ics import client_feed, committee_feed, vcio_feed
from schedulers.jobs import plan_committee_year, plan_year

router = APIRouter(tags=["annual plan"], responses=RECORD_RESPONSES)

CALENDAR = "text/calendar"
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CALENDAR: {}}, "description": "An RFC 5545 calendar"}
}
YearQuery = Annotated[int | None, Query(ge=2000, le=2200, description="Default: this year.")]


def calendar_response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type=f"{CALENDAR}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.post("/schedule/plan")
def plan(
    services: ServicesDep,
    actor: AdminDep,
    _: FreshDep,
    year: Annotated[int, Query(ge=2000, le=2200, description="The calendar year to plan.")],
    client: Annotated[UUID | None, Query(description="Only this client.")] = None,
    dry_run: Annotated[bool, Query(description="Answer the plan; record nothing.")] = False,
) -> YearPlanPublic:
    """Plan a year now for the MSP's clients (and its standards committee); safe to repeat:
    a subject already planned for the year answers ``already planned``."""
    now = services.clock()
    try:
        planned = plan_year(services, year, now, client=client, dry_run=dry_run, tenant=actor.tenant)
    except LookupError:
        raise NotFoundError("client", "no client with this id") from None
    committees = [] if client is not None else plan_committee_year(services, year, now, actor.tenant, dry_run)
    outcomes = [p.outcome for p in planned.clients] + [p.outcome for p in committees]
    recorded = "planned" in outcomes
    return YearPlanPublic.model_validate(
        {
            "year": planned.year,
            "as_of": planned.as_of,
            "clients": planned.clients,
            "committees": committees,
            "position": services.ledger.recorder.max_notification_id() if recorded else None,
        }
    )


@router.get("/clients/{client_id}/meetings.ics", response_class=Response, responses=ICS_RESPONSE)
def client_calendar(
    client_id: KnownClientIdDep, services: ServicesDep, actor: ActorDep, year: YearQuery = None
) -> Response:
    """Subscribe to one client's meetings of a year."""
    now = services.clock()
    wanted = year or now.year
    body = client_feed(services.reader, actor.tenant, client_id, wanted, now)
    return calendar_response(body, f"client-{client_id}-{wanted}.ics")


@router.get("/vcios/{vcio}/meetings.ics", response_class=Response, responses=ICS_RESPONSE)
def vcio_calendar(
    vcio: Annotated[str, Path(min_length=1, max_length=200)],
    services: ServicesDep,
    actor: ActorDep,
    _: FreshCalendarDep,
    year: YearQuery = None,
) -> Response:
    """Subscribe to the meetings of a year with all of one vCIO's clients."""
    now = services.clock()
    wanted = year or now.year
    body = vcio_feed(services.reader, actor.tenant, vcio, wanted, now)
    return calendar_response(body, f"vcio-{wanted}.ics")


@router.get("/schedule/committee.ics", response_class=Response, responses=ICS_RESPONSE)
def committee_calendar(
    services: ServicesDep, actor: ActorDep, _: FreshDirectoryDep, year: YearQuery = None
) -> Response:
    """Subscribe to the standards committee's meetings and the yearly library review."""
    now = services.clock()
    wanted = year or now.year
    return calendar_response(
        committee_feed(services.reader, actor.tenant, wanted, now), f"standards-committee-{wanted}.ics"
    )
