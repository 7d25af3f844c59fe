"""The client list (the home page) and each client's overview, now or as of a past date."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from commands.results import Actor
from projections.fiscal import month_start
from web.errors import BadRequest, parse_day, web_router
from web.overview import build_overview
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency
from web.time_travel import BASES, is_available


@dataclass(frozen=True)
class ClientRow:
    client_id: UUID
    name: str
    vcio: str
    score: Decimal | None
    scored_at: datetime | None
    touches_this_month: int
    touch_target: int


def client_rows(services: WebServices, actor: Actor, today: date) -> list[ClientRow]:
    """Every client of the tenant with its score after the last finalised review and this month's touches."""
    scores = services.history.latest_by_client(actor.tenant)
    rows = []
    for cadence in services.touch_cadence.cadence(actor.tenant, month_start(today), 1):
        point = scores.get(cadence.client_id)
        rows.append(ClientRow(cadence.client_id, cadence.client_name, cadence.vcio,
                              point.rolling_score if point else None,
                              point.completed_at if point else None,
                              cadence.touches, cadence.target))
    return sorted(rows, key=lambda r: r.name.lower())


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    @router.get("/")
    def home(request: Request, actor: ActorDep) -> Response:
        today = services.clock().date()
        return pages.render(request, "home.html", actor, section="clients", title="Clients",
                            clients=client_rows(services, actor, today))

    @router.get("/clients/{client_id}")
    def overview(request: Request, client_id: UUID, actor: ActorDep,
                 as_of: Annotated[str, Query(max_length=10)] = "",
                 basis: Annotated[str, Query(max_length=10)] = "observed") -> Response:
        if basis not in BASES:
            raise BadRequest("Choose the observed or the recorded clock.")
        today = services.clock().date()
        view = build_overview(services, actor, client_id, today, parse_day(as_of, "as of"), basis)
        title = view.alignment.client_name + (f" as of {view.as_of}" if view.as_of else "")
        return pages.render(request, "overview.html", actor, section="clients", title=title,
                            view=view, client=view.alignment, bases=BASES,
                            time_travel=is_available(services),
                            currency=services.msp_settings.currency(actor.tenant, services.clock()))

    return router
