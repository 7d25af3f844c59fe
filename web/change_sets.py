"""The committee's change set page: open a change set, propose new standards, revisions, weight
changes, retirements and replacements, see the replay of every client's latest completed review
against the proposal, then publish it or discard it.

Every form sends its command through ``services.bus.handle``; a proposal made for a suggestion
(``suggestion_id``) then accepts that suggestion as the new proposal.
"""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from commands.change_sets import (
    DiscardChangeSet,
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
    PublishChangeSet,
    WithdrawProposal,
    load_change_set,
)
from commands.results import Actor, CommandResult
from commands.suggestions import AcceptSuggestion
from web.errors import BadRequest, web_router
from web.pages import Pages
from web.ports import WebServices
from web.proposals import proposal_rows
from web.session import actor_dependency
from web.time_travel import is_available, replay

Text = Annotated[str, Form(max_length=4000)]
Optional = Annotated[str, Form(max_length=4000)]


def optional_id(value: str, name: str) -> UUID | None:
    try:
        return UUID(value) if value.strip() else None
    except ValueError:
        raise BadRequest(f"The {name.replace('_', ' ')} is not one of those offered.") from None


def references(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    def saved(result: CommandResult) -> None:
        if result.position is not None:
            services.wait_for(result.position)

    def back(change_set_id: UUID, what: str, anchor: str = "proposals") -> RedirectResponse:
        return RedirectResponse(f"/committee/change-sets/{change_set_id}?saved={what}#{anchor}",
                                status_code=303)

    def open_suggestion(actor: Actor, suggestion_id: str) -> UUID | None:
        """The suggestion a proposal takes up, checked before the proposal is recorded."""
        suggestion = optional_id(suggestion_id, "suggestion_id")
        if suggestion is None:
            return None
        found = services.suggestion_inbox.suggestion(actor.tenant, suggestion)
        if found is None or found.status != "open":
            raise BadRequest("That suggestion was already decided; nothing was proposed. Reload the page.")
        return suggestion

    def proposed(change_set_id: UUID, actor: Actor, result: CommandResult, suggestion: UUID | None,
                 idempotency_key: str) -> RedirectResponse:
        """After a proposal: accept the suggestion it takes up, if any; back to the change set."""
        saved(result)
        if suggestion is not None and result.created_id is not None:
            saved(services.bus.handle(AcceptSuggestion(
                suggestion_id=suggestion, change_set_id=change_set_id, item_id=result.created_id),
                actor, idempotency_key=f"{idempotency_key}:accept" if idempotency_key else None))
            return back(change_set_id, "suggestion_accepted")
        return back(change_set_id, "proposal_added")

    @router.get("/committee/change-sets/{change_set_id}")
    def change_set_page(request: Request, change_set_id: UUID, actor: ActorDep,
                        suggestion: Annotated[str, Query(max_length=40)] = "") -> Response:
        change_set = load_change_set(services.ledger, actor, change_set_id)
        library = services.library.list_standards(actor.tenant)
        taking_up = None
        suggestion_id = optional_id(suggestion, "suggestion")
        if suggestion_id is not None and change_set.status == "open":
            taking_up = services.suggestion_inbox.suggestion(actor.tenant, suggestion_id)
        return pages.render(
            request, "change_set.html", actor, section="committee",
            title=f"{change_set.title} · Change set", change_set=change_set,
            proposals=proposal_rows(change_set, library),
            in_force=[s for s in library if s.status != "retired"],
            new_standards=change_set.new_standards, suggestion=taking_up,
            impact=replay(services, actor, change_set_id) if change_set.status == "open" else None,
            time_travel=is_available(services), idempotency_key=str(uuid4()))

    @router.post("/committee/change-sets")
    def open_change_set(actor: ActorDep, title: Annotated[str, Form(max_length=200)], reason: Text,
                        idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        result = services.bus.handle(OpenChangeSet(title=title, reason=reason), actor,
                                     idempotency_key=idempotency_key or None)
        saved(result)
        return back(result.aggregate_id, "change_set_opened", "propose")

    @router.post("/committee/change-sets/{change_set_id}/new-standards")
    def propose_new(change_set_id: UUID, actor: ActorDep, key: Annotated[str, Form(max_length=64)],
                    category: Annotated[str, Form(max_length=80)], question: Text,
                    how_to_check: Text, why_it_matters: Text, expected_answer: Optional = "yes",
                    priority: Optional = "medium", review_frequency: Optional = "annual",
                    authority_references: Optional = "", suggestion_id: Optional = "",
                    idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        command = ProposeNewStandard.model_validate({"change_set_id": change_set_id, "standard": {
            "key": key, "category": category, "question": question,
            "expected_answer": expected_answer, "how_to_check": how_to_check,
            "why_it_matters": why_it_matters, "priority": priority,
            "review_frequency": review_frequency,
            "authority_references": references(authority_references)}})
        suggestion = open_suggestion(actor, suggestion_id)
        result = services.bus.handle(command, actor, idempotency_key=idempotency_key or None)
        return proposed(change_set_id, actor, result, suggestion, idempotency_key)

    @router.post("/committee/change-sets/{change_set_id}/revisions")
    def propose_revision(change_set_id: UUID, actor: ActorDep, standard_id: Annotated[UUID, Form()],
                         reason: Text, question: Optional = "", expected_answer: Optional = "",
                         how_to_check: Optional = "", why_it_matters: Optional = "",
                         category: Optional = "", review_frequency: Optional = "",
                         suggestion_id: Optional = "",
                         idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        given = {"question": question, "expected_answer": expected_answer,
                 "how_to_check": how_to_check, "why_it_matters": why_it_matters,
                 "category": category, "review_frequency": review_frequency}
        changes = {name: value.strip() for name, value in given.items() if value.strip()}
        if not changes:
            raise BadRequest("Fill in at least one field to change; empty fields stay as they are.")
        command = ProposeRevision.model_validate({"change_set_id": change_set_id, "standard_id": standard_id,
                                                  "changes": changes, "reason": reason})
        suggestion = open_suggestion(actor, suggestion_id)
        result = services.bus.handle(command, actor, idempotency_key=idempotency_key or None)
        return proposed(change_set_id, actor, result, suggestion, idempotency_key)

    @router.post("/committee/change-sets/{change_set_id}/weight-changes")
    def propose_weight(change_set_id: UUID, actor: ActorDep, standard_id: Annotated[UUID, Form()],
                       priority: Annotated[str, Form(max_length=20)], reason: Text,
                       suggestion_id: Optional = "",
                       idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        command = ProposeWeightChange.model_validate({
            "change_set_id": change_set_id, "standard_id": standard_id, "priority": priority,
            "reason": reason})
        suggestion = open_suggestion(actor, suggestion_id)
        result = services.bus.handle(command, actor, idempotency_key=idempotency_key or None)
        return proposed(change_set_id, actor, result, suggestion, idempotency_key)

    @router.post("/committee/change-sets/{change_set_id}/retirements")
    def propose_retirement(change_set_id: UUID, actor: ActorDep, standard_id: Annotated[UUID, Form()],
                           reason: Text, successor: Annotated[list[str], Form()] = [],  # noqa: B006
                           suggestion_id: Optional = "",
                           idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        successors = [s for s in (optional_id(v, "successor") for v in successor) if s is not None]
        command = ProposeRetirement(change_set_id=change_set_id, standard_id=standard_id,
                                    reason=reason, successors=successors)
        suggestion = open_suggestion(actor, suggestion_id)
        result = services.bus.handle(command, actor, idempotency_key=idempotency_key or None)
        return proposed(change_set_id, actor, result, suggestion, idempotency_key)

    @router.post("/committee/change-sets/{change_set_id}/items/{item_id}/withdraw")
    def withdraw(change_set_id: UUID, item_id: UUID, actor: ActorDep) -> Response:
        saved(services.bus.handle(WithdrawProposal(change_set_id=change_set_id, item_id=item_id), actor))
        return back(change_set_id, "proposal_withdrawn")

    @router.post("/committee/change-sets/{change_set_id}/publish")
    def publish(change_set_id: UUID, actor: ActorDep) -> Response:
        saved(services.bus.handle(PublishChangeSet(change_set_id=change_set_id), actor, services.clock()))
        return back(change_set_id, "change_set_published", "main")

    @router.post("/committee/change-sets/{change_set_id}/discard")
    def discard(change_set_id: UUID, actor: ActorDep, reason: Text) -> Response:
        saved(services.bus.handle(DiscardChangeSet(change_set_id=change_set_id, reason=reason), actor))
        return back(change_set_id, "change_set_discarded", "main")

    return router
