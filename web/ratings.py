"""The vCIO's rating page: once the TAM has submitted the review, rate misaligned answers
marginal or highly vulnerable, send an item back to the TAM with a comment, and finalise the
review (with misaligned answers still unrated, only after an explicit choice: rate them now, or
record them as highly vulnerable); turn findings into recommendations, and record the decision
maker's approval or decline.

Every write goes through the command handlers in ``commands/`` and waits for the read models
before the page is shown again.
"""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from commands.recommendations import (
    ApproveRecommendation,
    DeclineRecommendation,
    PresentRecommendation,
    ProposeRecommendation,
)
from commands.results import Actor, CommandResult
from commands.reviews import FinaliseReview, RateAnswer, SendBackItem
from web.errors import BadRequest, web_router
from web.findings import findings, recommendations
from web.overview import load_alignment
from web.pages import Pages, is_htmx
from web.ports import WebServices
from web.session import actor_dependency

QUARTERS_OFFERED = 8


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    def saved(result: CommandResult) -> None:
        if result.position is not None:
            services.wait_for(result.position)

    def back(client_id: UUID, what: str) -> RedirectResponse:
        return RedirectResponse(f"/clients/{client_id}/rating?saved={what}#recommendations",
                                status_code=303)

    @router.get("/clients/{client_id}/rating")
    def rating_page(request: Request, client_id: UUID, actor: ActorDep) -> Response:
        alignment = load_alignment(services, actor, client_id)
        today = services.clock().date()
        roadmap = services.roadmap.roadmap(actor.tenant, client_id, today, QUARTERS_OFFERED)
        items = recommendations(roadmap)
        return pages.render(
            request, "rating.html", actor, section="clients", title=f"Rating · {alignment.client_name}",
            client=alignment, misaligned=alignment.misaligned, findings=findings(alignment, items),
            recommendations=items, quarters=roadmap.quarters if roadmap else [],
            decision_makers=services.decision_makers.of_client(actor.tenant, client_id),
            idempotency_key=str(uuid4()),
            currency=services.msp_settings.currency(actor.tenant, services.clock()))

    @router.post("/clients/{client_id}/reviews/{review_id}/ratings/{standard_id}")
    def rate(request: Request, client_id: UUID, review_id: UUID, standard_id: UUID, actor: ActorDep,
             rating: Annotated[str, Form()]) -> Response:
        command = RateAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                             rating=rating)  # type: ignore[arg-type] # validated here
        saved(services.bus.handle(command, actor))
        if not is_htmx(request):
            return RedirectResponse(f"/clients/{client_id}/rating#rate-{standard_id}", status_code=303)
        alignment = load_alignment(services, actor, client_id)
        item = next(i for i in alignment.misaligned if i.standard_id == standard_id)
        return pages.render(request, "rating_rated.html", actor, client=alignment, item=item)

    @router.post("/clients/{client_id}/reviews/{review_id}/items/{standard_id}/send-back")
    def send_back(client_id: UUID, review_id: UUID, standard_id: UUID, actor: ActorDep,
                  comment: Annotated[str, Form(max_length=4000)]) -> Response:
        saved(services.bus.handle(SendBackItem(client_id=client_id, review_id=review_id,
                                               standard_id=standard_id, comment=comment), actor))
        return RedirectResponse(f"/clients/{client_id}/rating?saved=item_sent_back#rate",
                                status_code=303)

    @router.post("/clients/{client_id}/reviews/{review_id}/finalise")
    def finalise(client_id: UUID, review_id: UUID, actor: ActorDep,
                 unrated_choice: Annotated[str, Form()] = "") -> Response:
        if unrated_choice == "rate_now":
            return RedirectResponse(f"/clients/{client_id}/rating#rate", status_code=303)
        if unrated_choice not in ("", "highly_vulnerable"):
            raise BadRequest("Choose to rate the unrated answers now or to record them as highly"
                             " vulnerable.")
        command = FinaliseReview(client_id=client_id, review_id=review_id,
                                 unrated_as="highly_vulnerable" if unrated_choice else None)
        saved(services.bus.handle(command, actor, services.clock()))
        return RedirectResponse(f"/clients/{client_id}?saved=review_finalised", status_code=303)

    @router.post("/clients/{client_id}/recommendations")
    def propose(request: Request, client_id: UUID, actor: ActorDep,
                title: Annotated[str, Form()], owner: Annotated[str, Form()],
                business_impact: Annotated[str, Form()] = "",
                finding: Annotated[list[UUID], Form()] = [],  # noqa: B006 - FastAPI copies it
                one_time_budget: Annotated[str, Form()] = "",
                recurring_monthly_budget: Annotated[str, Form()] = "",
                estimated_hours: Annotated[str, Form()] = "",
                target_quarter_start: Annotated[str, Form()] = "",
                priority: Annotated[str, Form()] = "medium",
                capital_expense: Annotated[str, Form()] = "",
                idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
        try:
            target = date.fromisoformat(target_quarter_start) if target_quarter_start else None
        except ValueError:
            raise BadRequest("The target quarter is not one of the quarters offered.") from None
        command = ProposeRecommendation.model_validate({
            "client_id": client_id, "title": title, "business_impact": business_impact,
            "finding_standard_ids": finding, "one_time_budget": one_time_budget or "0",
            "recurring_monthly_budget": recurring_monthly_budget or "0",
            "estimated_hours": estimated_hours or "0", "target_quarter_start": target,
            "priority": priority, "owner": owner, "capital_expense": bool(capital_expense)})
        saved(services.bus.handle(command, actor, idempotency_key=idempotency_key or None))
        return back(client_id, "recommendation_proposed")

    @router.post("/clients/{client_id}/recommendations/{recommendation_id}/present")
    def present(client_id: UUID, recommendation_id: UUID, actor: ActorDep) -> Response:
        command = PresentRecommendation(client_id=client_id, recommendation_id=recommendation_id)
        saved(services.bus.handle(command, actor))
        return back(client_id, "recommendation_presented")

    @router.post("/clients/{client_id}/recommendations/{recommendation_id}/approve")
    def approve(client_id: UUID, recommendation_id: UUID, actor: ActorDep,
                decision_maker_id: Annotated[UUID, Form()]) -> Response:
        command = ApproveRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                        decision_maker_id=decision_maker_id)
        saved(services.bus.handle(command, actor, services.clock()))
        return back(client_id, "recommendation_approved")

    @router.post("/clients/{client_id}/recommendations/{recommendation_id}/decline")
    def decline(client_id: UUID, recommendation_id: UUID, actor: ActorDep,
                decision_maker_id: Annotated[UUID, Form()], reason: Annotated[str, Form()]) -> Response:
        command = DeclineRecommendation(client_id=client_id, recommendation_id=recommendation_id,
                                        decision_maker_id=decision_maker_id, reason=reason)
        saved(services.bus.handle(command, actor))
        return back(client_id, "recommendation_declined")

    return router
