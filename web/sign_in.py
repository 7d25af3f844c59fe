"""Sign in with an API token, and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from web.errors import web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import COOKIE, check_same_site, safe_next

SESSION_SECONDS = 12 * 60 * 60


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)

    @router.get("/sign-in")
    def sign_in_page(request: Request, next: str = "/") -> Response:
        return pages.render(request, "sign_in.html", title="Sign in", next=safe_next(next), error=None)

    @router.post("/sign-in")
    def sign_in(request: Request, token: Annotated[str, Form(max_length=500)] = "",
                next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
        check_same_site(request)
        actor = services.tokens.authenticate(token.strip()) if token.strip() else None
        if actor is None:
            return pages.render(request, "sign_in.html", status_code=401, title="Sign in",
                                next=safe_next(next),
                                error="That token is not known or has been revoked. Paste the whole "
                                      "token, starting with vcio_.")
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(COOKIE, token.strip(), max_age=SESSION_SECONDS, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")
        return response

    @router.post("/sign-out")
    def sign_out(request: Request) -> Response:
        check_same_site(request)
        response = RedirectResponse("/sign-in", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
        return response

    return router
