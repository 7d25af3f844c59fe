"""``vcio relay``, ``vcio project NAME`` and ``vcio inbound``: the long-running Kafka processes.

A typer sub-app; the composition root registers it. Each command runs until SIGINT/SIGTERM,
then finishes its current batch and exits.
"""

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer

from runtime.database import Database, open_database
from runtime.services import Services, all_projections, build_services
from runtime.settings import Settings
from streaming.config import StreamingSettings

app = typer.Typer(help="Kafka: publish the event log, feed projections, accept inbound commands.",
                  no_args_is_help=True)


class Source(StrEnum):
    log = "log"
    kafka = "kafka"


def stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    return stop


@contextmanager
def wired(names: list[str] | None = None) -> Iterator[tuple[Database, Services]]:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)
    settings = Settings()
    projections = [p for p in all_projections() if names is None or p.name in names]
    with open_database(settings) as database:
        services = build_services(settings, database, projections)
        try:
            yield database, services
        finally:
            services.close()


def parse_partitions(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter("a comma-separated list of partition numbers, e.g. 0,1") from None


@app.command()
def relay(
    status: Annotated[bool, typer.Option("--status", help="Print each relay's state and exit.")] = False,
) -> None:
    """Publish every event of the log to Kafka (at least once, in order), until stopped."""
    from streaming.relay import Relay

    with wired([]) as (database, services):
        events_table = services.ledger.recorder.events_table_name  # type: ignore[attr-defined]
        if status:
            print_relay_statuses(database, events_table)
            return
        Relay(database.conninfo, events_table, services.decode, StreamingSettings()).run(
            stop_on_signals())


def print_relay_statuses(database: Database, events_table: str) -> None:
    from streaming.metrics import relay_statuses_of

    found = relay_statuses_of(database.conninfo, events_table)
    if not found:
        typer.echo("no relay has run on this database")
    for s in found:
        typer.echo(f"relay {s.name}: position {s.position} of {s.head} (lag {s.lag}),"
                   f" epoch {s.epoch}, {'running' if s.active else 'not running'},"
                   f" last progress at {s.updated_at}")
        if s.last_error:
            typer.echo(f"  last error at {s.last_error_at}: {s.last_error}")
        if s.republished_at:
            typer.echo(f"  last republished from the start at {s.republished_at}")


@app.command()
def project(
    name: Annotated[str, typer.Argument(help="The projection to run.")],
    source: Annotated[Source, typer.Option(help="Feed it from the PostgreSQL log or Kafka.")] = Source.log,
    partitions: Annotated[str | None, typer.Option(
        help="Kafka only: the partitions this process applies (default all), e.g. 0,1.")] = None,
) -> None:
    """Run one projection in this process, fed from the log or from Kafka."""
    from streaming.kafka_feed import KafkaFeeder, SplitNotSafeError

    known = [p.name for p in all_projections()]
    if name not in known:
        raise typer.BadParameter(f"unknown projection {name!r}; known: {', '.join(known)}")
    chosen = parse_partitions(partitions)
    if source is Source.log and chosen is not None:
        raise typer.BadParameter("--partitions applies to --source kafka only")
    with wired([name]) as (database, services):
        projector = services.projectors[name]
        if source is Source.log:
            projector.run(stop_on_signals())
            return
        try:
            feeder = KafkaFeeder(database.conninfo, projector.projection, services.decode,
                                 StreamingSettings(), chosen)
        except SplitNotSafeError as error:
            raise typer.BadParameter(str(error)) from None
        feeder.run(stop_on_signals())


@app.command()
def inbound() -> None:
    """Carry out commands sent by outside tools on the inbound topic, until stopped."""
    from streaming.inbound import InboundConsumer

    with wired([]) as (database, services):
        InboundConsumer(database.conninfo, services.bus, StreamingSettings()).run(
            stop_on_signals())
