"""What a route may ask for, as ``Annotated`` aliases: the services, the caller (from the bearer
token), role guards, an idempotency key, a read-your-writes wait, a client of the caller's
tenant, the scheduler's store of planning rules, and the HTML templates.

Roles: ``admin`` may do everything; ``committee`` changes standards; ``vcio`` owns the client
relationship and rates answers; ``tam`` runs reviews and answers; ``viewer`` only reads.
Every role can read. A guard that refuses answers 403 and names the role needed.
"""

from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, Header, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Environment

from aggregates.errors import NotFoundError
from commands.results import Actor
from projections.client_directory import DirectoryClient
from runtime.services import Services
from schedulers.store import SchedulerStore

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


def get_known_client(
    client_id: Annotated[UUID, Path()], actor: ActorDep, services: ServicesDep, _: FreshDep
) -> DirectoryClient:
    """The path's client from the client directory, when the caller's tenant has it (else 404)."""
    found = services.client_directory.client(actor.tenant, client_id)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return found


KnownClientDep = Annotated[DirectoryClient, Depends(get_known_client)]


def get_known_client_id(client: KnownClientDep) -> UUID:
    """The path's client id, when the caller's tenant has such a client (else 404)."""
    return client.client_id


KnownClientIdDep = Annotated[UUID, Depends(get_known_client_id)]


def get_scheduler_store(request: Request) -> SchedulerStore:
    return cast(SchedulerStore, request.app.state.scheduler_store)


SchedulerStoreDep = Annotated[SchedulerStore, Depends(get_scheduler_store)]


def get_templates(request: Request) -> Environment:
    return cast(Environment, request.app.state.templates)


TemplatesDep = Annotated[Environment, Depends(get_templates)]
