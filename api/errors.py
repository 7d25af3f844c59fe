"""Every mapping from an error to an HTTP answer, in one place.

Domain errors answer ``{"detail": {"field": ..., "reason": ...}}``: 404 when the thing is not
found (another tenant's ids included, never 403), 409 for a conflict (a stale
``expected_version``, a completed review), 422 for any other broken rule. A command the
token's role may not send (the bus decides) answers 403 naming the roles needed. An invalid request
body answers 422 with a list of ``{"field": "body.mrr", "reason": ...}``. When the store or
the read models are busy, or the database cannot be reached (a refused or broken connection, a
pool that found no connection in time), 503 with ``Retry-After``.
"""

from typing import Any

import psycopg
from eventsourcing import persistence
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from aggregates.errors import ConflictError, DomainError, NotFoundError
from api.schemas.common import MessagePublic, ProblemPublic
from commands.bus import NotPermittedError
from commands.ledger import IdempotencyKeyReusedError, StoreBusyError
from projections.catalog import ProjectionTimeoutError

RETRY_AFTER_SECONDS = "1"

# What a lost database raises: psycopg's own errors (``PoolTimeout`` is an OperationalError)
# and the event store's translations of them.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError, psycopg.InterfaceError,
    persistence.OperationalError, persistence.InterfaceError,
)

ResponseDocs = dict[int | str, dict[str, Any]]

COMMON_RESPONSES: ResponseDocs = {
    401: {"model": MessagePublic, "description": "No token, or an unknown one"},
    403: {"model": MessagePublic, "description": "The token's role may not do this"},
    422: {"model": ProblemPublic, "description": "A field is invalid or a rule was broken"},
    503: {"model": MessagePublic, "description": "Busy; nothing was recorded. See Retry-After"},
}
RECORD_RESPONSES: ResponseDocs = {
    404: {"model": ProblemPublic, "description": "No such record in the token's tenant"},
    409: {"model": ProblemPublic, "description": "The record moved on (stale expected_version)"},
}


def field_path(loc: tuple[str | int, ...]) -> str:
    """``("body", "answers", 0, "standard_id")`` -> ``body.answers[0].standard_id``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


STATUS_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (ConflictError, status.HTTP_409_CONFLICT),
    (DomainError, status.HTTP_422_UNPROCESSABLE_CONTENT),
)


async def domain_error(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, DomainError):  # registered for DomainError only
        raise error
    code = next(code for kind, code in STATUS_BY_KIND if isinstance(error, kind))
    return JSONResponse({"detail": {"field": error.field, "reason": error.reason}}, status_code=code)


async def invalid_request(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, RequestValidationError):  # registered for it only
        raise error
    problems = [{"field": field_path(tuple(e["loc"])), "reason": e["msg"]} for e in error.errors()]
    return JSONResponse({"detail": problems}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def not_permitted(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_403_FORBIDDEN)


async def store_busy(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "the event store is busy with another write; nothing was recorded, retry"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


async def database_unavailable(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "the database cannot be reached; retry shortly (a write sent now was not "
                   "recorded unless its connection dropped while committing: retry it with "
                   "the same Idempotency-Key)"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


async def projections_behind(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the read models have not caught up yet ({error}); retry shortly"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(IdempotencyKeyReusedError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(NotPermittedError, not_permitted)
    app.add_exception_handler(StoreBusyError, store_busy)
    app.add_exception_handler(ProjectionTimeoutError, projections_behind)
    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, database_unavailable)
