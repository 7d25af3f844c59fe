"""Who is using the dashboard: a session made from an API token.

Signing in puts the token in an HttpOnly, SameSite=Lax cookie; each request authenticates it
again through ``TokenStore``, so the tenant and the role always follow the token and a revoked
token ends the session at once. A write must come from a page of this site (the Origin header,
when the browser sends one, names this host).
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import Request

from commands.base import Command
from commands.bus import NotPermittedError
from commands.change_sets import (
    DiscardChangeSet,
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
    PublishChangeSet,
    WithdrawProposal,
)
from commands.msp_settings import (
    SetCadenceRules,
    SetFinancialDefaults,
    SetReviewLeadTime,
    SetScoringPolicy,
    SetTargetBands,
)
from commands.recommendations import ProposeRecommendation
from commands.registry import REGISTRY
from commands.results import Actor
from commands.reviews import (
    FinaliseReview,
    RateAnswer,
    RecordAnswer,
    SendBackItem,
    StartReview,
    SubmitReview,
)
from commands.suggestions import AcceptSuggestion, DeclineSuggestion, SuggestStandard
from web.ports import WebServices

COOKIE = "vcio_session"
ROLE_NAMES = {"admin": "admin", "committee": "standards committee", "vcio": "vCIO", "tam": "TAM",
              "viewer": "viewer"}

# The dashboard's buttons, each named for the command it sends; whether a role sees a button is
# the command bus's rule for that command (``commands/registry.py``), never restated here.
BUTTONS: dict[str, type[Command]] = {
    "start_review": StartReview,
    "answer": RecordAnswer,
    "submit_review": SubmitReview,
    "rate": RateAnswer,
    "send_back": SendBackItem,
    "finalise_review": FinaliseReview,
    "recommend": ProposeRecommendation,
    "open_change_set": OpenChangeSet,
    "propose_new_standard": ProposeNewStandard,
    "propose_revision": ProposeRevision,
    "propose_weight_change": ProposeWeightChange,
    "propose_retirement": ProposeRetirement,
    "withdraw_proposal": WithdrawProposal,
    "publish_change_set": PublishChangeSet,
    "discard_change_set": DiscardChangeSet,
    "suggest": SuggestStandard,
    "accept_suggestion": AcceptSuggestion,
    "decline_suggestion": DeclineSuggestion,
    "set_scoring_policy": SetScoringPolicy,
    "set_target_bands": SetTargetBands,
    "set_review_lead_time": SetReviewLeadTime,
    "set_cadence_rules": SetCadenceRules,
    "set_financial_defaults": SetFinancialDefaults,
}


class SignInRequired(Exception):
    """No session, or its token is unknown or revoked."""


class NotAllowed(Exception):
    """The signed-in role may not do this (or the request did not come from this site)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def can(actor: Actor | None, button: str) -> bool:
    """Whether to show ``button`` to ``actor``: the registry's rule for the command it sends."""
    return actor is not None and REGISTRY[BUTTONS[button]].allows(actor.role)


def refusal(error: NotPermittedError) -> str:
    """The bus's refusal in the dashboard's words."""
    needed = " or ".join(ROLE_NAMES.get(r, r) for r in error.roles_needed if r != "admin")
    return (f"This needs the {needed or 'admin'} role; you are signed in as "
            f"{ROLE_NAMES.get(error.role, error.role)}.")


def check_same_site(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", request.url.netloc):
        raise NotAllowed("This change was sent from another site, so it was refused.")


def actor_dependency(services: WebServices) -> Callable[[Request], Actor]:
    """A FastAPI dependency: the signed-in actor (and, for writes, a same-site check)."""

    def current_actor(request: Request) -> Actor:
        token = request.cookies.get(COOKIE)
        actor = services.tokens.authenticate(token) if token else None
        if actor is None:
            raise SignInRequired()
        if request.method not in ("GET", "HEAD"):
            check_same_site(request)
        return actor

    return current_actor


def safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (``//evil`` or ``https://...``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
