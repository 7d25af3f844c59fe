"""The application factory: the HTTP API with the web dashboard mounted beside it.

``build_app(services)`` composes an application over services the caller owns (``vcio serve``,
the tests). ``create_app()`` is the factory for ``uvicorn --factory runtime.app:create_app``
and ``vcio serve --workers N``: each worker process opens the configured database and builds
its own services; projection runners and the scheduler stay in the parent process. A serving
process settles its heap (``settle_heap``) once the app is built.
"""

import gc
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI

from api.app import API_PATHS, build_api
from runtime.database import open_database
from runtime.services import Services, running_services
from runtime.settings import Settings
from schedulers.store import SchedulerStore
from streaming.metrics import RelayCollector
from streaming.relay_store import RelayStatus, relay_statuses
from web.errors import install_page_errors
from web.routes import build_web_router


def relay_collector(services: Services) -> RelayCollector:
    """The Kafka relay's position, lag and last error for ``/metrics`` (none while no relay ran)."""

    def statuses() -> list[RelayStatus]:
        with services.pool.connection() as conn:
            return relay_statuses(conn, services.events_table)

    return RelayCollector(statuses)


def build_app(services: Services) -> FastAPI:
    """The API and the dashboard over ``services``; each call builds a new application."""
    app = build_api(services, SchedulerStore(services.pool), [relay_collector(services)])
    app.include_router(build_web_router(services))
    install_page_errors(app, API_PATHS)
    return app


def settle_heap() -> None:
    """Take what a served process has built so far (modules, services, the app and its
    schemas: some 200,000 objects) out of the garbage collector's full collections, which
    otherwise walk all of it: measured in ``vcio serve`` under the dashboard benchmark, a full
    collection took 86-164 ms, several times a minute, and stalled every request in flight.
    Only for a serving process: frozen objects are never freed, which a test run would feel."""
    gc.collect()
    gc.freeze()


def create_app() -> FastAPI:
    """A worker's application: opens the database and its services on start-up."""
    stack = ExitStack()
    settings = Settings()
    services = stack.enter_context(running_services(settings, stack.enter_context(
        open_database(settings))))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        try:
            yield
        finally:
            stack.close()

    app = build_api(services, SchedulerStore(services.pool), [relay_collector(services)],
                    lifespan=lifespan)
    app.include_router(build_web_router(services))
    install_page_errors(app, API_PATHS)
    return app
