"""What a route may ask for, as ``Annotated`` aliases: the services, the caller (from the bearer
token), role guards, an idempotency key, and a read-your-writes wait.

Roles: ``admin`` may do everything; ``committee`` changes standards; ``vcio`` owns the client
relationship and rates answers; ``tam`` runs reviews and answers; ``viewer`` only reads.
Every role can read. A guard that refuses answers 403 and names the role needed.
"""

from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, Header, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aggregates.errors import NotFoundError
from commands.results import Actor
from runtime.services import Services

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: `vcio tokens create --tenant T --role R`, or `POST /api/v1/tokens`.",
)


def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


ServicesDep = Annotated[Services, Depends(get_services)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def get_actor(services: ServicesDep, credentials: Credentials) -> Actor:
    """The caller named by the bearer token: its tenant, name and role."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            headers=challenge,
            detail="missing bearer token: send 'Authorization: Bearer <token>'",
        )
    actor = services.tokens.authenticate(credentials.credentials)
    if actor is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, headers=challenge, detail="unknown or revoked token"
        )
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


class RoleGuard:
    """Lets the request through when the caller holds one of ``roles`` (or is an admin)."""

    def __init__(self, *roles: str) -> None:
        self.roles = (*roles, "admin")

    def __call__(self, actor: ActorDep) -> Actor:
        if actor.role not in self.roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"this needs the role {' or '.join(self.roles)}; the token's role is {actor.role}",
            )
        return actor


AdminDep = Annotated[Actor, Depends(RoleGuard())]
CommitteeDep = Annotated[Actor, Depends(RoleGuard("committee"))]
VcioDep = Annotated[Actor, Depends(RoleGuard("vcio"))]
TamDep = Annotated[Actor, Depends(RoleGuard("tam"))]
ReviewerDep = Annotated[Actor, Depends(RoleGuard("vcio", "tam"))]

IdempotencyKeyDep = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Send the same key again to get the first answer back; nothing is recorded twice.",
    ),
]


def wait_for_position(
    services: ServicesDep,
    wait_for: Annotated[
        int | None,
        Query(ge=1, description="A write's `position`: wait until the read models include it."),
    ] = None,
) -> None:
    if wait_for is not None:
        services.wait_for(wait_for)


FreshDep = Annotated[None, Depends(wait_for_position)]


def get_known_client_id(
    client_id: Annotated[UUID, Path()], actor: ActorDep, services: ServicesDep, _: FreshDep
) -> UUID:
    """The path's client id, when the caller's tenant has such a client (else 404).

    Every client's audit timeline starts with its onboarding, so one timeline row is the
    cheapest proof the read side knows the client.
    """
    if not services.audit.timeline(actor.tenant, client_id, limit=1):
        raise NotFoundError("client_id", "no client with this id")
    return client_id


KnownClientIdDep = Annotated[UUID, Depends(get_known_client_id)]
