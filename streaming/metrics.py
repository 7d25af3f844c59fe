"""Prometheus gauges of the relays (position, log head, lag, epoch, last error), read from the
database at each scrape, for ``/metrics`` to register beside the projections' collector.

Wiring (in the router that builds the registry): ``registry.register(RelayCollector(lambda:
relay_statuses_of(conninfo, events_table)))``. Nothing is registered globally.
"""

from collections.abc import Callable, Iterable, Iterator

import psycopg
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streaming.relay_store import RelayStatus, relay_statuses

GAUGES: dict[str, tuple[str, Callable[[RelayStatus], float]]] = {
    "vcio_relay_position": ("Log position the relay has published and seen acknowledged.",
                            lambda s: s.position),
    "vcio_relay_head": ("Log head (newest notification id) when the relay was looked at.",
                        lambda s: s.head),
    "vcio_relay_lag_events": ("How far the relay is behind the log head, in notification ids.",
                              lambda s: s.lag),
    "vcio_relay_epoch": ("Times the relay found history lost on the broker and republished.",
                         lambda s: s.epoch),
    "vcio_relay_active": ("1 when some process holds the relay's lock, else 0.",
                          lambda s: int(s.active)),
    "vcio_relay_failing": ("1 when the relay's last attempt failed (see vcio relay --status).",
                           lambda s: int(s.last_error is not None)),
}


def relay_statuses_of(conninfo: str, events_table: str) -> list[RelayStatus]:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return relay_statuses(conn, events_table)


class RelayCollector(Collector):
    """One gauge family per figure of ``RelayStatus``, labelled by relay name."""

    def __init__(self, statuses: Callable[[], Iterable[RelayStatus]]) -> None:
        self.statuses = statuses

    def describe(self) -> Iterator[GaugeMetricFamily]:
        for name, (documentation, _) in GAUGES.items():
            yield GaugeMetricFamily(name, documentation, labels=["relay"])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        found = list(self.statuses())
        for name, (documentation, figure) in GAUGES.items():
            family = GaugeMetricFamily(name, documentation, labels=["relay"])
            for status in found:
                family.add_metric([status.name], figure(status))
            yield family
