"""Who is using the dashboard: a session made from an API token.

Signing in puts the token in an HttpOnly, SameSite=Lax cookie; each request authenticates it
again through ``TokenStore``, so the tenant and the role always follow the token and a revoked
token ends the session at once. A write must come from a page of this site (the Origin header,
when the browser sends one, names this host).
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import Request

from commands.results import Actor
from runtime.services import Services

COOKIE = "vcio_session"
ROLE_NAMES = {"admin": "admin", "committee": "standards committee", "vcio": "vCIO", "tam": "TAM",
              "viewer": "viewer"}

# What each role may do on the dashboard; an admin may do everything. Same rules as the API.
ACTIONS: dict[str, tuple[str, ...]] = {
    "start_review": ("tam",),
    "answer": ("tam",),
    "complete_review": ("tam", "vcio"),
    "rate": ("vcio",),
    "recommend": ("vcio",),
}


class SignInRequired(Exception):
    """No session, or its token is unknown or revoked."""


class NotAllowed(Exception):
    """The signed-in role may not do this (or the request did not come from this site)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def can(actor: Actor | None, action: str) -> bool:
    return actor is not None and (actor.role == "admin" or actor.role in ACTIONS[action])


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        needed = " or ".join(ROLE_NAMES[r] for r in ACTIONS[action])
        raise NotAllowed(f"This needs the {needed} role; you are signed in as "
                         f"{ROLE_NAMES.get(actor.role, actor.role)}.")


def check_same_site(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", request.url.netloc):
        raise NotAllowed("This change was sent from another site, so it was refused.")


def actor_dependency(services: Services) -> Callable[[Request], Actor]:
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
