"""The web dashboard's router: every page, the sign-in, and the vendored static files.

``build_web_router(services)`` is all the application needs to include; it is mounted at ``/``
next to the API (``/api/v1``) and serves its static files itself under ``/static``.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from web import (
    audit,
    change_sets,
    clients,
    committee,
    dashboard,
    qbr,
    ratings,
    reviews,
    settings,
    settings_rules,
    sign_in,
    suggestions,
)
from web.errors import PageNotFound, web_router
from web.pages import Pages
from web.ports import WebServices

STATIC_DIR = Path(__file__).parent / "static"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def static_router(pages: Pages) -> APIRouter:
    router = web_router(pages, prefix="/static")
    served = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in STATIC_TYPES}

    @router.get("/{name}")
    def static_file(name: str) -> FileResponse:
        path = served.get(name)
        if path is None:
            raise PageNotFound("file")
        return FileResponse(path, media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

    return router


def build_web_router(services: WebServices) -> APIRouter:
    """All dashboard pages over ``services``; each call builds a new, independent router."""
    pages = Pages()
    router = web_router(pages)
    for module in (sign_in, clients, reviews, ratings, dashboard, suggestions, change_sets, committee,
                   audit, qbr, settings, settings_rules):
        router.include_router(module.build_router(services, pages))
    router.include_router(static_router(pages))
    return router
