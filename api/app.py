"""The HTTP API as a FastAPI application, built around the services it is given.

The composition root (``runtime.app``) builds the services, calls ``build_api`` and mounts the
web dashboard beside it; nothing here opens a database or knows the dashboard.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from prometheus_client.registry import Collector

from api.dependencies import ApiServices
from api.errors import COMMON_RESPONSES, install_error_handlers
from api.openapi_tags import declare_tags, module_tags
from api.rendering import build_templates
from api.routers import (
    alignment,
    cadence,
    capacity,
    clients,
    committee,
    health,
    metrics,
    msp_settings,
    projections,
    review_queue,
    reviews,
    schedule,
    score_history,
    scorecard,
    standards,
    status,
    strategy_action_items,
    strategy_dashboard,
    strategy_feedback,
    strategy_meetings,
    strategy_qbr,
    strategy_recommendations,
    strategy_roadmap,
    strategy_touches,
    suggestions,
    timeline,
    tokens,
)
from schedulers.store import SchedulerStore

DESCRIPTION = """\
Standards library, clients, two-stage alignment reviews, alignment scores and their history, the
audit timeline, recommendations, roadmaps and budgets, meetings, touches, vCIO dashboards, QBR
packs, and the annual meeting plan with its iCalendar feeds, for managed service providers.

Send `Authorization: Bearer <token>`. A write answers the log `position` of its events; pass it
as `?wait_for=<position>` on a read to see your own write. Writes accept an `Idempotency-Key`
header and an `expected_version` body field (a stale version answers 409).
"""

CONTACT = {"name": "vCIO Ledger maintainers", "url": "https://github.com/vcio-ledger/vcio-ledger"}
# Relative to wherever the document was fetched from: the same server answers it.
SERVERS = [{"url": "/", "description": "This server (the one that served this document)"}]

# Where the API answers (anything else on the same server is the dashboard's, in HTML).
API_PATHS = ("/api/", "/health", "/metrics", "/openapi.json", "/docs", "/redoc")


def build_api(services: ApiServices, scheduler_store: SchedulerStore,
              metrics_collectors: Sequence[Collector] = (), **fastapi: Any) -> FastAPI:
    """The HTTP API over ``services``; each call builds a new, independent application."""
    app = FastAPI(title="vCIO Ledger", version="1.0.0", description=DESCRIPTION, docs_url="/docs",
                  contact=CONTACT, servers=SERVERS, **fastapi)
    app.state.services = services
    app.state.scheduler_store = scheduler_store
    app.state.templates = build_templates()
    install_error_handlers(app)
    modules = (
        standards,
        clients,
        review_queue,
        reviews,
        alignment,
        scorecard,
        score_history,
        timeline,
        projections,
        status,
        tokens,
        strategy_recommendations,
        strategy_meetings,
        strategy_action_items,
        strategy_touches,
        strategy_feedback,
        strategy_roadmap,
        strategy_dashboard,
        strategy_qbr,
        cadence,
        schedule,
        committee,
        suggestions,
        msp_settings,
        capacity,
    )
    # Each resource's router straight into the app (not through an /api/v1 router): FastAPI
    # matches a request level by level, twice per level, so a level less is less work on every
    # request; the OpenAPI document is the same.
    for module in modules:
        app.include_router(module.router, prefix="/api/v1", responses=COMMON_RESPONSES)
    app.include_router(health.router)
    app.include_router(metrics.build_router(services, metrics_collectors))
    declare_tags(app, module_tags((*modules, health)))
    return app
