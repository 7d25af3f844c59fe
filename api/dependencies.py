"""What a route may ask for, as ``Annotated`` aliases: the services, the caller (from the bearer
token), role guards, an idempotency key, a read-your-writes wait, a client of the caller's
tenant, the scheduler's store of planning rules, and the HTML templates.

Who may send which command is decided once, by the command bus (``commands/registry.py``); a
refused command answers 403 naming the roles needed. Every role can read. The only guard left
here is ``AdminDep``, for a tenant's actions that are not commands (tokens, running the annual
planner by hand); figures of the whole installation (``/metrics``, ``/status``, ``/projections``)
take an operator's metrics token instead (``OperatorDep``).
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol, cast
from uuid import UUID

from fastapi import Depends, Header, HTTPException, Path, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Environment
from psycopg import Connection
from psycopg_pool import ConnectionPool
from starlette.concurrency import run_in_threadpool

from aggregates.errors import NotFoundError
from commands.base import Command
from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from projections.client_directory import DirectoryClient
from projections.runner import ProjectionStatus
from projections.views import ReadModels
from schedulers.store import SchedulerStore


class TokenAuthority(Protocol):
    """Issues and checks API tokens (the composition root wires a PostgreSQL store)."""

    def issue(self, tenant: str, role: str, name: str, lifetime: timedelta | None = None) -> Any: ...

    def authenticate(self, token: str) -> Actor | None: ...

    def remembered(self, token: str) -> Actor | None:
        """The actor of a token trusted without a query, else None (then ``authenticate``)."""
        ...

    def authenticate_metrics(self, token: str) -> bool: ...

    def list(self, tenant: str) -> Sequence[Any]: ...

    def revoke(self, tenant: str, token_id: UUID) -> bool: ...


class ProjectorControl(Protocol):
    """One read model's runner, as far as the API looks at it."""

    def status(self) -> ProjectionStatus: ...

    def catch_up(self) -> int: ...


class ApiServices(ReadModels, Protocol):
    """What the HTTP API needs of the wired services; ``runtime`` builds the real ones."""

    @property
    def ledger(self) -> Ledger: ...
    @property
    def bus(self) -> CommandBus: ...
    @property
    def pool(self) -> ConnectionPool[Connection[Any]]: ...
    @property
    def tokens(self) -> TokenAuthority: ...
    @property
    def projectors(self) -> Mapping[str, ProjectorControl]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    def log_head(self) -> int: ...
    @property
    def events_table(self) -> str: ...


bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: `vcio tokens create --tenant T --role R`, or `POST /api/v1/tokens`.",
)


# The dependencies every read passes through are ``async def`` where they never block (a plain
# ``def`` would be sent to the thread pool, a hop per dependency per request: measured, it is
# most of what a request waits for under load); what may block (a token not remembered, a
# ``?wait_for=``) still runs in the pool.


async def get_services(request: Request) -> ApiServices:
    return cast(ApiServices, request.app.state.services)


ServicesDep = Annotated[ApiServices, Depends(get_services)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def get_actor(services: ServicesDep, credentials: Credentials) -> Actor:
    """The caller named by the bearer token: its tenant, name and role."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            headers=challenge,
            detail="missing bearer token: send 'Authorization: Bearer <token>'",
        )
    actor = services.tokens.remembered(credentials.credentials)
    if actor is None:
        actor = await run_in_threadpool(services.tokens.authenticate, credentials.credentials)
    if actor is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, headers=challenge, detail="unknown, revoked or expired token"
        )
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


def sends(command_type: type[Command]) -> Any:
    """A route dependency: 403 before the body is even read when the token's role may not send
    ``command_type``. The rule is the bus's registry; this only asks it early, so that a refused
    caller learns nothing from validating its body."""

    async def may_send(services: ServicesDep, actor: ActorDep) -> None:
        services.bus.check(actor, command_type)

    return Depends(may_send)


async def require_admin(actor: ActorDep) -> Actor:
    """A tenant's actions that are not commands (tokens, the planner run by hand) are the admin's."""
    if actor.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            detail=f"this needs the role admin; the token's role is {actor.role}")
    return actor


AdminDep = Annotated[Actor, Depends(require_admin)]


def require_metrics_token(request: Request, services: ServicesDep, credentials: Credentials) -> None:
    """``/metrics``, ``/status`` and ``/projections`` show figures of the whole installation (the
    log head, every read model's position and dead letters: every tenant's activity), so they
    take only an operator's metrics token (``vcio tokens create --role metrics``), never a
    tenant's admin token."""
    if credentials is None or not services.tokens.authenticate_metrics(credentials.credentials):
        route = request.url.path.removeprefix(request.scope.get("root_path", ""))
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"},
                            detail=f"{route} shows the whole installation's figures and needs an operator's"
                                   " metrics token: 'vcio tokens create --role metrics'")


OperatorDep = Depends(require_metrics_token)

IdempotencyKeyDep = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Send the same key again to get the first answer back; nothing is recorded twice.",
    ),
]


WaitFor = Annotated[
    int | None,
    Query(ge=1, description="A write's `position`: wait until the read models this route reads"
                            " include it (503 at once, naming it, when one of them is stuck)."),
]


def fresh(*names: str) -> Any:
    """A route dependency for ``?wait_for=``: wait until the read models ``names`` (all when
    none is named) have applied the position. A position past the log head answers 422 (no
    write ever answered it); a read model that is stuck answers 503 naming it."""

    async def wait_for_position(services: ServicesDep, wait_for: WaitFor = None) -> None:
        if wait_for is not None:
            await run_in_threadpool(wait_until_applied, services, wait_for, names)

    return Depends(wait_for_position)


def wait_until_applied(services: ApiServices, wait_for: int, names: Sequence[str]) -> None:
    """Block until the read models ``names`` (all when none) have applied ``wait_for``."""
    head = services.log_head()
    if wait_for > head:
        raise RequestValidationError([{
            "loc": ("query", "wait_for"), "type": "value_error", "input": wait_for,
            "msg": f"position {wait_for} is past the head of the event log ({head})"}])
    services.wait_for(wait_for, list(names) or None)


FreshDep = Annotated[None, fresh()]
FreshAlignmentDep = Annotated[None, fresh("client_alignment", "msp_settings")]  # scored under its policy
FreshClientsDep = Annotated[None, fresh("client_directory", "score_history")]
FreshLibraryDep = Annotated[None, fresh("standards_library")]
FreshReplayDep = Annotated[None, fresh("as_of", "standards_library")]
FreshInboxDep = Annotated[None, fresh("suggestion_inbox")]
FreshAsOfDep = Annotated[None, fresh("as_of", "msp_settings")]
FreshCalendarDep = Annotated[None, fresh("meeting_calendar")]
FreshTimelineDep = Annotated[None, fresh("audit_timeline")]
FreshDashboardDep = Annotated[None, fresh("vcio_dashboard", "msp_settings")]
FreshQbrDep = Annotated[None, fresh("client_alignment", "msp_settings", "score_history", "roadmap",
                                    "meeting_calendar", "touch_cadence")]
# msp_settings: money is shown in the MSP's currency (and its budget's quarters in its fiscal year)
FreshRoadmapDep = Annotated[None, fresh("roadmap", "msp_settings")]
FreshBudgetDep = Annotated[None, fresh("budget", "msp_settings")]
FreshCadenceDep = Annotated[None, fresh("touch_cadence")]
FreshDirectoryDep = Annotated[None, fresh("client_directory")]
FreshPeopleDep = Annotated[None, fresh("decision_makers")]


def get_known_client(
    client_id: Annotated[UUID, Path()], actor: ActorDep, services: ServicesDep,
    _: FreshDirectoryDep,
) -> DirectoryClient:
    """The path's client from the client directory, when the caller's tenant has it (else 404)."""
    found = services.client_directory.client(actor.tenant, client_id)
    if found is None:
        raise NotFoundError("client_id", "no client with this id")
    return found


KnownClientDep = Annotated[DirectoryClient, Depends(get_known_client)]


async def get_known_client_id(client: KnownClientDep) -> UUID:
    """The path's client id, when the caller's tenant has such a client (else 404)."""
    return client.client_id


KnownClientIdDep = Annotated[UUID, Depends(get_known_client_id)]


async def get_scheduler_store(request: Request) -> SchedulerStore:
    return cast(SchedulerStore, request.app.state.scheduler_store)


SchedulerStoreDep = Annotated[SchedulerStore, Depends(get_scheduler_store)]


async def get_templates(request: Request) -> Environment:
    return cast(Environment, request.app.state.templates)


TemplatesDep = Annotated[Environment, Depends(get_templates)]
