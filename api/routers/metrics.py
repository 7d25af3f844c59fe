"""Prometheus metrics of the read models, for an operator's metrics token: each projection's
position, the log head, its lag, its unresolved dead letters, whether a runner follows it,
whether that runner is failing, and whether the read model is stuck, so
that an alert can fire on lag or dead letters without an admin polling ``/projections``.

Each application gets its own registry and collector, built with its router; nothing goes into
``prometheus_client``'s global registry, so two applications in one process never clash. The
figures are read from the database at each scrape (``BatchProjector.status``); the format
follows the scraper's ``Accept`` header as ``prometheus_client``'s own exporters do (the
Prometheus text format unless OpenMetrics is asked for). The figures span every tenant, so no
tenant's token reads them: only a ``metrics`` token, which reads nothing else.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from api.dependencies import ApiServices, require_metrics_token
from api.errors import problem_doc
from projections.health import read_model_states
from projections.runner import ProjectionStatus

Statuses = Callable[[], Iterable[ProjectionStatus]]

GAUGES: dict[str, tuple[str, Callable[[ProjectionStatus], float]]] = {
    "vcio_projection_position": (
        "Log position (notification id) the projection has applied up to.", lambda s: s.position),
    "vcio_projection_head": (
        "Log head (newest notification id) when the projection was looked at.", lambda s: s.head),
    "vcio_projection_lag_events": (
        "How far the projection is behind the log head, in notification ids.", lambda s: s.lag),
    "vcio_projection_dead_letters": (
        "Unresolved dead letters: events the projection could not apply.", lambda s: s.dead_letters),
    "vcio_projection_runner_active": (
        "1 when some process holds the projection's runner lock, else 0.",
        lambda s: int(s.runner_active)),
    "vcio_projection_runner_failing": (
        "1 when the runner following the projection last stopped on an error, else 0.",
        lambda s: int(s.runner_error is not None)),
    "vcio_projection_stuck": (
        "1 when the projection is behind with no runner following it, or a failing one.",
        lambda s: int(s.stuck)),
}


class ProjectionCollector(Collector):
    """One gauge family per figure of ``ProjectionStatus``, labelled by projection."""

    def __init__(self, statuses: Statuses) -> None:
        self.statuses = statuses

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The families without samples, so registering reads nothing from the database."""
        for name, (documentation, _) in GAUGES.items():
            yield GaugeMetricFamily(name, documentation, labels=["projection"])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        found = list(self.statuses())
        for name, (documentation, figure) in GAUGES.items():
            family = GaugeMetricFamily(name, documentation, labels=["projection"])
            for status in found:
                family.add_metric([status.name], figure(status))
            yield family


def read_model_statuses(services: ApiServices) -> list[ProjectionStatus]:
    """Every read model's status, read in a few queries."""
    with services.pool.connection() as conn:
        return read_model_states(conn, services.events_table, list(services.projectors))


def build_router(services: ApiServices, collectors: Sequence[Collector] = ()) -> APIRouter:
    """The ``/metrics`` route over a registry of its own, reporting ``services``' projections
    and whatever else the composition root adds (the Kafka relay's state)."""
    registry = CollectorRegistry()
    registry.register(ProjectionCollector(lambda: read_model_statuses(services)))
    for collector in collectors:
        registry.register(collector)
    router = APIRouter(prefix="/metrics", tags=["health"],
                       dependencies=[Depends(require_metrics_token)])

    @router.get("", response_class=Response, responses={
        200: {"description": "The Prometheus text format (OpenMetrics when asked for)",
              "content": {"text/plain": {"schema": {"type": "string"}}}},
        401: problem_doc("No metrics token, or an unknown one (tenants' tokens are refused)")})
    def metrics(accept: Annotated[str | None, Header()] = None) -> Response:
        """Read the projections' position, head, lag, dead letters and runner, for Prometheus."""
        encode, content_type = choose_encoder(accept or "")
        return Response(encode(registry), media_type=content_type)

    return router
