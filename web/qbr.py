"""The QBR pack as a presentation that prints cleanly to PDF from the browser."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response

from commands.results import Actor
from web.errors import PageNotFound, web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    @router.get("/clients/{client_id}/qbr")
    def qbr(request: Request, client_id: UUID, actor: ActorDep) -> Response:
        pack = services.qbr_pack.pack(actor.tenant, client_id, services.clock().date())
        if pack is None:
            raise PageNotFound("client")
        budget_top = max((q.total for q in pack.roadmap.quarters), default=0)
        trend = {"labels": [f"#{p.review_number} {p.completed_at.date().isoformat()}"
                            for p in pack.score_trend],
                 "scores": [None if p.score is None else float(p.score) for p in pack.score_trend]}
        return pages.render(request, "qbr.html", actor, section="clients",
                            title=f"QBR · {pack.client_name}", pack=pack, budget_top=budget_top,
                            trend=trend,
                            currency=services.msp_settings.currency(actor.tenant, services.clock()))

    return router
