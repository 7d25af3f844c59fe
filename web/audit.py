"""A client's audit timeline (who changed what, when, from what to what, and why), narrowed by
person, category and dates, with the "as of" picker that opens the client overview as it stood
on a chosen day."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from commands.results import Actor
from web.errors import parse_day, web_router
from web.overview import load_alignment
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency

SHOWN = 500


def start_of(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), UTC)


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    @router.get("/clients/{client_id}/audit")
    def timeline(request: Request, client_id: UUID, actor: ActorDep,
                 by: Annotated[str, Query(max_length=200)] = "",
                 category: Annotated[str, Query(max_length=200)] = "",
                 since: Annotated[str, Query(max_length=10)] = "",
                 until: Annotated[str, Query(max_length=10)] = "") -> Response:
        client = load_alignment(services, actor, client_id)
        first, last = parse_day(since, "from"), parse_day(until, "to")
        entries = services.audit.timeline(
            actor.tenant, client_id, actor=by or None, category=category or None,
            since=start_of(first), until=start_of(last + timedelta(days=1) if last else None),
            limit=SHOWN)
        people = sorted({e.actor for e in services.audit.timeline(actor.tenant, client_id, limit=5000)})
        return pages.render(
            request, "audit.html", actor, section="clients", title=f"Audit · {client.client_name}",
            client=client, entries=entries, shown=SHOWN, people=people,
            categories=services.library.categories(actor.tenant), by=by, category=category,
            since=since, until=until, today=services.clock().date())

    return router
