"""The MSP's settings page: the scoring policy, target bands and review lead time in force, every
change with who made it, when it takes effect and why, and (for an admin) forms to change them.

Each form sends one command of ``commands/msp_settings.py`` through the bus; a change never takes
effect before the day it is recorded, so history is never rescored. The cadence rules and the
currency and fiscal year have their forms in ``web/settings_rules.py``.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from commands.msp_settings import SetReviewLeadTime, SetScoringPolicy, SetTargetBands
from commands.results import Actor
from web.errors import parse_day, web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency

BANDS = {"clients_per_vcio": "Clients per vCIO", "average_mrr": "Average MRR per client",
         "mrr_per_vcio": "MRR per vCIO", "nrr_share_percent": "Non-recurring share (%)",
         "touches_per_vcio_month": "Touches per vCIO a month",
         "meetings_per_vcio_month": "Strategy meetings per vCIO a month"}
KIND_NAMES = {"scoring_policy": "Scoring policy", "target_bands": "Target bands",
              "cadence_rules": "Cadence rules", "review_lead_time": "Review lead time",
              "financial_defaults": "Currency and fiscal year"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


Amount = Annotated[str, Form(max_length=20)]


def when(effective_on: str) -> date | None:
    return parse_day(effective_on, "effective")


def settings_recorder(services: WebServices) -> Callable[[Any, Actor, str], Response]:
    """Send a settings command, wait until the page can show it, then go back to the page."""
    def record(command: Any, actor: Actor, what: str) -> Response:
        result = services.bus.handle(command, actor, services.clock())
        if result.position is not None:
            services.wait_for(result.position)
        return RedirectResponse(f"/settings?saved={what}", status_code=303)
    return record


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    record = settings_recorder(services)

    @router.get("/settings")
    def settings_page(request: Request, actor: ActorDep) -> Response:
        view = services.msp_settings
        now = services.clock()
        return pages.render(
            request, "settings.html", actor, section="settings", title="MSP settings",
            settings=view.in_force(actor.tenant, now), changes=list(reversed(view.changes(actor.tenant))),
            bands=BANDS, kind_names=KIND_NAMES, today=now.date(), months=MONTHS,
            rules=view.cadence_rules_or_defaults(actor.tenant, now))

    @router.post("/settings/scoring-policy")
    def scoring_policy(actor: ActorDep, reason: Annotated[str, Form(max_length=4000)],
                       high: Annotated[str, Form(max_length=20)], medium: Annotated[str, Form(max_length=20)],
                       low: Annotated[str, Form(max_length=20)],
                       marginal: Annotated[str, Form(max_length=20)],
                       highly_vulnerable: Annotated[str, Form(max_length=20)],
                       effective_on: Annotated[str, Form(max_length=20)] = "") -> Response:
        command = SetScoringPolicy.model_validate({
            "reason": reason, "effective_on": when(effective_on),
            "weights": {"high": high, "medium": medium, "low": low},
            "factors": {"marginal": marginal, "highly_vulnerable": highly_vulnerable}})
        return record(command, actor, "scoring_policy_set")

    @router.post("/settings/target-bands")
    def target_bands(actor: ActorDep, reason: Annotated[str, Form(max_length=4000)],
                     clients_per_vcio_low: Amount, clients_per_vcio_high: Amount,
                     average_mrr_low: Amount, average_mrr_high: Amount,
                     mrr_per_vcio_low: Amount, mrr_per_vcio_high: Amount,
                     nrr_share_percent_low: Amount, nrr_share_percent_high: Amount,
                     touches_per_vcio_month_low: Amount, touches_per_vcio_month_high: Amount,
                     meetings_per_vcio_month_low: Amount, meetings_per_vcio_month_high: Amount,
                     effective_on: Annotated[str, Form(max_length=20)] = "") -> Response:
        bands = {"clients_per_vcio": (clients_per_vcio_low, clients_per_vcio_high),
                 "average_mrr": (average_mrr_low, average_mrr_high),
                 "mrr_per_vcio": (mrr_per_vcio_low, mrr_per_vcio_high),
                 "nrr_share_percent": (nrr_share_percent_low, nrr_share_percent_high),
                 "touches_per_vcio_month": (touches_per_vcio_month_low, touches_per_vcio_month_high),
                 "meetings_per_vcio_month": (meetings_per_vcio_month_low, meetings_per_vcio_month_high)}
        command = SetTargetBands.model_validate({
            "reason": reason, "effective_on": when(effective_on),
            "bands": {band: {"low": low, "high": high} for band, (low, high) in bands.items()}})
        return record(command, actor, "target_bands_set")

    @router.post("/settings/review-lead-time")
    def review_lead_time(actor: ActorDep, reason: Annotated[str, Form(max_length=4000)],
                         days: Annotated[str, Form(max_length=10)],
                         effective_on: Annotated[str, Form(max_length=20)] = "") -> Response:
        command = SetReviewLeadTime.model_validate({
            "reason": reason, "days": days, "effective_on": when(effective_on)})
        return record(command, actor, "review_lead_time_set")

    return router
