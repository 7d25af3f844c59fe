"""Every mapping from an error to an HTTP answer, in one place, in one shape.

Every 4xx and 5xx of the JSON API is an RFC 9457 problem (``application/problem+json``):
``{"type", "title", "status", "detail", "errors": [{"field", "reason"}]}``. Domain errors answer
404 when the thing is not found (another tenant's ids included, never 403), 409 for a conflict
(a stale ``expected_version``, a completed review), 422 for any other broken rule, each naming
its field. A command the token's role may not send (the bus decides) answers 403 naming the
roles needed. An invalid request (body, query, path, header) answers 422 with one entry per
field (``body.mrr``, ``query.start``) and a reason in our words (``commands/messages.py``); a
body that is not JSON at all answers 422 naming ``body``. When the store or the read models are
busy, or the database cannot be reached (a refused or broken connection, a pool that found no
connection in time), 503 with ``Retry-After``. A route that answers HTML (the printable QBR
page) answers its errors as an HTML page with the same status and headers.
"""

from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing import persistence
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from aggregates.errors import ConflictError, DomainError, NotFoundError
from api.schemas.common import FieldError, Problem
from commands.bus import NotPermittedError
from commands.ledger import IdempotencyKeyReusedError, StoreBusyError
from commands.messages import reason
from projections.catalog import ProjectionTimeoutError

RETRY_AFTER_SECONDS = "1"
PROBLEM_MEDIA_TYPE = "application/problem+json"
METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

# What a lost database raises: psycopg's own errors (``PoolTimeout`` is an OperationalError)
# and the event store's translations of them.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError, psycopg.InterfaceError,
    persistence.OperationalError, persistence.InterfaceError,
)

ResponseDocs = dict[int | str, dict[str, Any]]


def problem_doc(description: str) -> dict[str, Any]:
    """An OpenAPI response answering a ``Problem`` (the schema is added by ``problem_openapi``)."""
    return {"description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


COMMON_RESPONSES: ResponseDocs = {
    401: problem_doc("No token, or an unknown one"),
    403: problem_doc("The token's role may not do this"),
    422: problem_doc("A field is invalid (or the body is not JSON), or a rule was broken"),
    503: problem_doc("Busy, or the database cannot be reached; nothing was recorded. See Retry-After"),
}
RECORD_RESPONSES: ResponseDocs = {
    404: problem_doc("No such record in the token's tenant"),
    409: problem_doc("The record moved on (stale expected_version)"),
}
EVERY_OPERATION: ResponseDocs = {
    500: problem_doc("An unexpected failure; nothing more is said here, the server's log has it"),
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


def problem(code: int, detail: str, errors: Sequence[FieldError] = ()) -> Problem:
    return Problem(title=HTTPStatus(code).phrase, status=code, detail=detail, errors=list(errors))


def answers_html(request: Request) -> bool:
    """Whether the route the request reached answers HTML (then so do its errors)."""
    kind = getattr(request.scope.get("route"), "response_class", None)
    kind = getattr(kind, "value", kind)  # FastAPI wraps its default in a placeholder
    return isinstance(kind, type) and issubclass(kind, HTMLResponse)


def answer(request: Request, found: Problem, headers: dict[str, str] | None = None) -> Response:
    """``found`` as ``application/problem+json``, or as a page when the route answers HTML."""
    if answers_html(request):
        page = request.app.state.templates.get_template("error.html").render(problem=found)
        return HTMLResponse(page, status_code=found.status, headers=headers)
    return JSONResponse(found.model_dump(mode="json"), status_code=found.status, headers=headers,
                        media_type=PROBLEM_MEDIA_TYPE)


def retry_later(request: Request, detail: str) -> Response:
    return answer(request, problem(status.HTTP_503_SERVICE_UNAVAILABLE, detail),
                  headers={"Retry-After": RETRY_AFTER_SECONDS})


async def domain_error(request: Request, error: Exception) -> Response:
    if not isinstance(error, DomainError):  # registered for DomainError only
        raise error
    code = next(code for kind, code in STATUS_BY_KIND if isinstance(error, kind))
    return answer(request, problem(code, error.reason, [FieldError(field=error.field, reason=error.reason)]))


def invalid_field(error: dict[str, Any]) -> FieldError:
    if error["type"] == "json_invalid":  # the position FastAPI puts in its loc is no field
        return FieldError(field="body", reason=f"not valid JSON: {error.get('ctx', {}).get('error', '')}"
                                               f" (at character {error['loc'][-1]})")
    return FieldError(field=field_path(tuple(error["loc"])), reason=reason(error))


async def invalid_request(request: Request, error: Exception) -> Response:
    if not isinstance(error, RequestValidationError):  # registered for it only
        raise error
    errors = [invalid_field(e) for e in error.errors()]
    fields = ", ".join(dict.fromkeys(e.field for e in errors))
    return answer(request, problem(status.HTTP_422_UNPROCESSABLE_CONTENT, f"invalid: {fields}", errors))


def allowed_methods(request: Request) -> str:
    """The methods some route answers at the request's path (the router names only one's)."""
    allowed = [method for method in METHODS if any(
        route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.routes)]
    return ", ".join(allowed)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's and FastAPI's own refusals (401, 403, 404, 405...), as problems."""
    if not isinstance(error, HTTPException):  # registered for it only
        raise error
    if error.status_code == status.HTTP_400_BAD_REQUEST:  # FastAPI: a body it could not parse
        reason = f"not readable as JSON: {error.detail}"
        return answer(request, problem(status.HTTP_422_UNPROCESSABLE_CONTENT, reason,
                                       [FieldError(field="body", reason=reason)]))
    headers = dict(error.headers or {})
    if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers["Allow"] = allowed_methods(request)
    fields = ([FieldError(field="header.Authorization", reason=str(error.detail))]
              if error.status_code == status.HTTP_401_UNAUTHORIZED else [])
    return answer(request, problem(error.status_code, str(error.detail), fields), headers=headers)


async def not_permitted(request: Request, error: Exception) -> Response:
    return answer(request, problem(status.HTTP_403_FORBIDDEN, str(error)))


async def store_busy(request: Request, error: Exception) -> Response:
    return retry_later(request, "the event store is busy with another write; nothing was recorded, retry")


async def database_unavailable(request: Request, error: Exception) -> Response:
    return retry_later(request, "the database cannot be reached; retry shortly (a write sent now was "
                                "not recorded unless its connection dropped while committing: retry "
                                "it with the same Idempotency-Key)")


async def projections_behind(request: Request, error: Exception) -> Response:
    return retry_later(request, f"the read models have not caught up yet ({error}); retry shortly")


async def unexpected(request: Request, error: Exception) -> Response:
    """Anything else: a 500 that says nothing of the failure (the server logs it)."""
    return answer(request, problem(status.HTTP_500_INTERNAL_SERVER_ERROR,
                                   "something went wrong on our side; the details are in the server's log"))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(IdempotencyKeyReusedError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(NotPermittedError, not_permitted)
    app.add_exception_handler(StoreBusyError, store_busy)
    app.add_exception_handler(ProjectionTimeoutError, projections_behind)
    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, database_unavailable)
    app.add_exception_handler(Exception, unexpected)
    app.openapi = problem_openapi(app)  # type: ignore[method-assign]


def problem_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """FastAPI's OpenAPI document with every error response of every operation a ``Problem``
    (FastAPI's own 422 schema included), and an HTML page for the errors of HTML routes."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem_schema.pop("$defs"), Problem=problem_schema)
        for operations in schema["paths"].values():
            for operation in operations.values():
                document_errors(operation["responses"])
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        return schema

    return openapi


def document_errors(responses: dict[str, Any]) -> None:
    html = "text/html" in responses.get("200", {}).get("content", {})
    for code, doc in EVERY_OPERATION.items():
        responses.setdefault(str(code), dict(doc))
    for code, doc in responses.items():
        if code[0] in "45":
            doc["content"] = ({"text/html": {"schema": {"type": "string"}}} if html
                              else problem_doc("")["content"])
