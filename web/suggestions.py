"""The suggestion inbox: anyone who works with clients (vCIO, TAM, the committee) suggests a new
standard or a change, with the client finding that prompted it; the committee takes a suggestion
up in an open change set (where it becomes a proposal) or declines it with a reason.

Viewers read the inbox but send nothing: the registry's rule for ``SuggestStandard``.
"""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from commands.results import Actor, CommandResult
from commands.suggestions import DeclineSuggestion, SuggestStandard
from web.change_sets import optional_id
from web.errors import PageNotFound, web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency

DECIDED_SHOWN = 50


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    def saved(result: CommandResult) -> None:
        if result.position is not None:
            services.wait_for(result.position)

    @router.get("/committee/suggestions")
    def inbox(request: Request, actor: ActorDep,
              standard_id: Annotated[str, Query(max_length=40)] = "",
              client_id: Annotated[str, Query(max_length=40)] = "") -> Response:
        inbox = services.suggestion_inbox
        decided = sorted((s for s in inbox.suggestions(actor.tenant, None) if s.status != "open"),
                         key=lambda s: s.decided_at or s.suggested_at, reverse=True)
        library = services.library.list_standards(actor.tenant)
        return pages.render(
            request, "suggestions.html", actor, section="committee", title="Suggestion inbox",
            suggestions=inbox.suggestions(actor.tenant),
            decided=decided[:DECIDED_SHOWN],
            change_sets=inbox.change_sets(actor.tenant),
            standards=[s for s in library if s.status != "retired"],
            clients=services.client_directory.clients(actor.tenant),
            chosen_standard=optional_id(standard_id, "standard"),
            chosen_client=optional_id(client_id, "client"), idempotency_key=str(uuid4()))

    @router.post("/committee/suggestions")
    def suggest(actor: ActorDep, kind: Annotated[str, Form(max_length=20)],
                text: Annotated[str, Form(max_length=4000)],
                standard_id: Annotated[str, Form(max_length=40)] = "",
                client_id: Annotated[str, Form(max_length=40)] = "",
                idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        command = SuggestStandard.model_validate({
            "kind": kind, "text": text, "standard_id": optional_id(standard_id, "standard"),
            "client_id": optional_id(client_id, "client")})
        saved(services.bus.handle(command, actor, idempotency_key=idempotency_key or None))
        return RedirectResponse("/committee/suggestions?saved=suggestion_sent#open", status_code=303)

    @router.get("/committee/suggestions/{suggestion_id}/take")
    def take_up(suggestion_id: UUID, actor: ActorDep, change_set_id: UUID) -> Response:
        """Take a suggestion up in an open change set: its page, with the suggestion carried."""
        if services.suggestion_inbox.suggestion(actor.tenant, suggestion_id) is None:
            raise PageNotFound("suggestion")
        return RedirectResponse(f"/committee/change-sets/{change_set_id}?suggestion={suggestion_id}#propose",
                                status_code=303)

    @router.post("/committee/suggestions/{suggestion_id}/decline")
    def decline(suggestion_id: UUID, actor: ActorDep,
                reason: Annotated[str, Form(max_length=4000)]) -> Response:
        saved(services.bus.handle(DeclineSuggestion(suggestion_id=suggestion_id, reason=reason), actor))
        return RedirectResponse("/committee/suggestions?saved=suggestion_declined#decided", status_code=303)

    return router
