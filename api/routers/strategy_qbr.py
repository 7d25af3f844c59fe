"""The QBR pack: everything a technology business review needs about one client, as JSON and as
a page that prints cleanly (to paper or PDF) from any browser."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from aggregates.errors import NotFoundError
from api.dependencies import ActorDep, ApiServices, FreshQbrDep, ServicesDep, TemplatesDep
from api.errors import RECORD_RESPONSES
from api.query_types import QueryDay
from api.schemas.strategy_public import QbrPackPublic
from commands.results import Actor
from projections.qbr_pack import QbrPack

router = APIRouter(prefix="/clients/{client_id}", tags=["qbr pack"], responses=RECORD_RESPONSES)

MeetingQuery = Annotated[UUID | None, Query(description="The review being prepared.")]
TodayQuery = Annotated[QueryDay | None, Query(description="The day the pack is for.")]


def find_pack(
    services: ApiServices, actor: Actor, client_id: UUID, meeting_id: UUID | None, today: date | None
) -> QbrPack:
    found = services.qbr_pack.pack(actor.tenant, client_id, today or services.clock().date(), meeting_id)
    if found is None:
        raise NotFoundError(
            "client_id" if meeting_id is None else "meeting_id",
            "no such client, or no such meeting for this client",
        )
    return found


@router.get("/qbr-pack")
def get_qbr_pack(
    client_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    _: FreshQbrDep,
    meeting_id: MeetingQuery = None,
    today: TodayQuery = None,
) -> QbrPackPublic:
    """Read the client's alignment and trend, top misaligned items, roadmap with budgets, open
    action items from the last meeting, and touches and meetings held since."""
    return QbrPackPublic.of_view(find_pack(services, actor, client_id, meeting_id, today),
                                 currency=services.msp_settings.currency(actor.tenant, services.clock()))


@router.get("/qbr.html", response_class=HTMLResponse)
def get_qbr_page(
    client_id: UUID,
    services: ServicesDep,
    actor: ActorDep,
    templates: TemplatesDep,
    _: FreshQbrDep,
    meeting_id: MeetingQuery = None,
    today: TodayQuery = None,
) -> HTMLResponse:
    """Read the QBR pack as a printable HTML page."""
    pack = find_pack(services, actor, client_id, meeting_id, today)
    currency = services.msp_settings.currency(actor.tenant, services.clock())
    return HTMLResponse(templates.get_template("qbr.html").render(pack=pack, currency=currency))
