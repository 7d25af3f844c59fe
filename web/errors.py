"""Every failure of a dashboard page, said in plain language, in one place.

The API's handlers answer JSON; a person in a browser gets a page (or, for an htmx request, a
message in the page's notice area) that says what happened and what to do, never a stack trace.
Another tenant's ids, like unknown ones, answer the same 404 page.
"""

import logging
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any, cast
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from aggregates.errors import ConflictError, DomainError, NotFoundError
from api.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, allowed_methods
from commands.bus import NotPermittedError
from commands.ledger import StoreBusyError
from projections.catalog import ProjectionTimeoutError
from web.pages import Pages, is_htmx
from web.session import NotAllowed, SignInRequired, refusal

log = logging.getLogger("web")


class PageNotFound(Exception):
    """A URL names something the signed-in tenant does not have."""

    def __init__(self, what: str = "page") -> None:
        super().__init__(what)
        self.what = what


class BadRequest(Exception):
    """A link or form holds a value that cannot be used (a date that is not a date...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_day(value: str, name: str) -> date | None:
    """A ``YYYY-MM-DD`` query value; empty means none (a cleared date picker sends "")."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"The {name} date is not a date; use the date picker (YYYY-MM-DD).") from None


def field_label(loc: tuple[Any, ...]) -> str:
    return str(loc[-1]).replace("_", " ") if loc else "a field"


def describe(error: Exception) -> tuple[int, str, str]:
    """(HTTP status, heading, message) for an error a person can do something about."""
    if isinstance(error, PageNotFound | NotFoundError):
        what = error.what if isinstance(error, PageNotFound) else "record"
        return 404, "Not found", (f"There is no such {what} in your organisation. Check the link, "
                                  "or go back to the client list.")
    if isinstance(error, NotAllowed):
        return 403, "Not allowed", error.message
    if isinstance(error, NotPermittedError):
        return 403, "Not allowed", refusal(error)
    if isinstance(error, BadRequest):
        return 400, "Please check the request", error.message
    if isinstance(error, RequestValidationError):
        if any(e["loc"] and e["loc"][0] == "path" for e in error.errors()):
            return 404, "Not found", "That link does not name anything we know. Check the address."
        fields = ", ".join(sorted({field_label(tuple(e["loc"])) for e in error.errors()}))
        return 422, "Please check the form", f"Nothing was saved. Please check: {fields}."
    if isinstance(error, ValidationError):
        fields = ", ".join(sorted({field_label(tuple(e["loc"])) for e in error.errors()}))
        return 422, "Please check the form", f"Nothing was saved. Please check: {fields}."
    if isinstance(error, ConflictError):
        return 409, "Someone got there first", f"Nothing was saved: {error.reason}. Reload and try again."
    if isinstance(error, DomainError):
        return 422, "That cannot be done", f"Nothing was saved: {error.reason}."
    if isinstance(error, StoreBusyError):
        return 503, "Busy", "The ledger is busy with another change. Nothing was saved; try again."
    if isinstance(error, DATABASE_UNAVAILABLE):
        return 503, "Unavailable", ("The database cannot be reached just now. Nothing was saved; "
                                    "try again in a moment.")
    if isinstance(error, ProjectionTimeoutError):
        return 503, "Still catching up", ("Your change was saved, but the pages have not caught up "
                                          "yet. Reload in a moment.")
    if isinstance(error, HTTPException) and error.status_code == 404:
        return 404, "Not found", "There is no such page. Check the address, or go back to the client list."
    if isinstance(error, HTTPException):
        return error.status_code, "Something is not right", "The request could not be served."
    return 500, "Something went wrong", ("Something went wrong on our side and the page could not be "
                                         "shown. Nothing more is shown here; the details are in the "
                                         "server's log.")


def page_behind(request: Request) -> str:
    """The page an htmx request was sent from (its ``HX-Current-URL``, when on this site), so that
    signing in again returns there rather than to the address of a form's action."""
    current = urlsplit(request.headers.get("hx-current-url", ""))
    if current.path.startswith("/") and current.netloc == request.headers.get("host", request.url.netloc):
        return current.path
    return request.url.path


def error_response(pages: Pages, request: Request, error: Exception) -> Response:
    if isinstance(error, SignInRequired):
        if is_htmx(request):
            target = "/sign-in?next=" + quote(page_behind(request), safe="/")
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse("/sign-in?next=" + quote(request.url.path, safe="/"), status_code=303)
    status, heading, message = describe(error)
    retry = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
    if status == 405:
        retry["Allow"] = allowed_methods(request)
    if status == 500:
        log.exception("dashboard page failed: %s %s", request.method, request.url.path)
    if is_htmx(request):
        return pages.render(request, "notice.html", status_code=status,
                            headers={"HX-Retarget": "#notices", "HX-Reswap": "innerHTML", **retry},
                            heading=heading, message=message, kind="error")
    return pages.render(request, "error.html", status_code=status, title=heading, headers=retry,
                        heading=heading, message=message, status=status)


def web_route_class(pages: Pages) -> type[APIRoute]:
    """A route class whose handlers turn any exception into a plain-language page."""

    class WebRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as error:  # every failure becomes a page; 500s are logged above
                    return error_response(pages, request, error)

            return guarded

    return WebRoute


def web_router(pages: Pages, **options: Any) -> APIRouter:
    """An ``APIRouter`` for dashboard pages (kept out of the API's OpenAPI document)."""
    return APIRouter(route_class=web_route_class(pages), include_in_schema=False, **options)


def install_page_errors(app: FastAPI, api_paths: tuple[str, ...]) -> None:
    """Outside ``api_paths``, what no page caught (an unknown address, a method no page takes, a
    failure before a page ran) answers a page too; the API's own paths keep their problems."""
    pages = Pages()
    for kind in (HTTPException, Exception):
        answer_api = app.exception_handlers[kind]

        async def page_or_problem(request: Request, error: Exception,
                                  answer_api: Callable[..., Any] = answer_api) -> Response:
            if request.url.path.startswith(api_paths):
                return cast(Response, await answer_api(request, error))
            return error_response(pages, request, error)

        app.add_exception_handler(kind, page_or_problem)
