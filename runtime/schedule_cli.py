"""``vcio schedule ...`` (plan by hand, export .ics, look after the planning rules) and
``vcio scheduler`` (run the scheduler as its own process).

Registered from ``runtime.cli``; the runtime is imported inside each command so that importing
this module wires nothing.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from commands.cadence import FIRST_PLAN_YEAR as FIRST_YEAR
from commands.cadence import LAST_PLAN_YEAR as LAST_YEAR
from runtime.clients_cli import resolve_client
from schedulers.annual_plan import ProposedDate
from schedulers.jobs import SCHEDULER, ClientPlan, CommitteePlan, plan_committee_year, plan_year

schedule_app = typer.Typer(help="The annual plan: plan by hand, export .ics, planning rules.",
                           no_args_is_help=True)
rules_app = typer.Typer(help="Per-MSP planning rules (cadence table, committee, meeting day).",
                        no_args_is_help=True)
schedule_app.add_typer(rules_app, name="rules")
console = Console(width=None if Console().is_terminal else 140)


def checked_year(year: int) -> int:
    """``--year`` within what a plan command accepts (the API checks the same range)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}; got {year}")
    return year


@contextmanager
def ledger_services(tenant: str | None = None) -> Iterator[Any]:
    """The configured database's services, with every read model caught up; ``tenant``, when
    given, must be a known one."""
    from projections.client_directory import ClientDirectoryProjection
    from projections.runner import BatchProjector
    from runtime.database import open_database
    from runtime.services import running_services
    from runtime.settings import Settings
    from runtime.tenants import TenantStore

    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if tenant is not None:
            TenantStore(services.pool).check_known(tenant)
        if ClientDirectoryProjection.name not in services.projectors:
            events_table = services.ledger.recorder.events_table_name  # type: ignore[attr-defined]
            projector = BatchProjector(database.conninfo, ClientDirectoryProjection(),
                                       services.decode, events_table, settings.projection_batch_size)
            projector.ensure_created()
            services.projectors[projector.name] = projector
        services.catch_up()
        yield services


def dates(meetings: tuple[ProposedDate, ...]) -> str:
    return ", ".join(m.scheduled_for.strftime("%a %Y-%m-%d %H:%M") for m in meetings) or "-"


def print_plans(year: int, clients: list[ClientPlan], committees: list[CommitteePlan]) -> None:
    table = Table("MSP", "client", "vCIO", "cadence", "outcome", f"meetings {year} (UTC)",
                  title=f"Meeting plan {year}")
    for plan in committees:
        review = plan.library_review.scheduled_for.strftime("%Y-%m-%d") if plan.library_review else "-"
        table.add_row(plan.tenant, "[bold]standards committee[/]", "",
                      f"{len(plan.meetings)}/yr, library review {review}", plan.outcome,
                      dates(plan.meetings))
    for c in clients:
        cadence = (f"{c.cadence.meetings_per_year}/yr, {c.cadence.touches_per_month} touches/mo"
                   f" ({c.cadence.source})")
        table.add_row(c.tenant, c.client_name, c.vcio, cadence, c.outcome, dates(c.meetings))
    console.print(table)


@schedule_app.command("plan")
def plan(
    year: Annotated[int, typer.Option(help="The calendar year to plan.")],
    client: Annotated[str | None, typer.Option(help="Only this client: its id, key or name.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Only this MSP.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; record nothing.")] = False,
) -> None:
    """Plan a year now (what the December job does) and print the plan. Safe to repeat."""
    checked_year(year)
    with ledger_services(tenant) as services:
        now = services.clock()
        client_id = None if client is None else resolve_client(services.reader, tenant, client).client_id
        result = plan_year(services, year, now, client=client_id, dry_run=dry_run, tenant=tenant)
        committees = ([] if client is not None
                      else plan_committee_year(services, year, now, tenant, dry_run))
    print_plans(year, result.clients, committees)


@schedule_app.command("ics")
def export_ics(
    tenant: Annotated[str, typer.Option(help="The MSP.")],
    year: Annotated[int, typer.Option(help="The calendar year.")],
    client: Annotated[str | None, typer.Option(help="One client's feed: its id, key or name.")] = None,
    vcio: Annotated[str | None, typer.Option(help="One vCIO's feed.")] = None,
    committee: Annotated[bool, typer.Option("--committee", help="The committee's feed.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")] = None,
) -> None:
    """Export the plan as an iCalendar feed: per client, per vCIO, or the committee's."""
    from schedulers.ics import client_feed, committee_feed, vcio_feed

    if sum((client is not None, vcio is not None, committee)) != 1:
        raise ValueError("give exactly one of --client, --vcio, --committee")
    checked_year(year)
    with ledger_services(tenant) as services:
        now = services.clock()
        if client is not None:
            client_id = resolve_client(services.reader, tenant, client).client_id
            body = client_feed(services.reader, tenant, client_id, year, now)
        elif vcio is not None:
            body = vcio_feed(services.reader, tenant, vcio, year, now)
        else:
            body = committee_feed(services.reader, tenant, year, now)
    if out is None:
        typer.echo(body.decode())
    else:
        out.write_bytes(body)


@rules_app.command("show")
def rules_show(tenant: Annotated[str, typer.Option(help="The MSP.")]) -> None:
    """Print the MSP's planning rules (the defaults when it stored none)."""
    from schedulers.store import SchedulerStore

    with ledger_services(tenant) as services:
        typer.echo(SchedulerStore(services.pool).rules_for(tenant).to_json())


@rules_app.command("set")
def rules_set(
    tenant: Annotated[str, typer.Option(help="The MSP.")],
    file: Annotated[Path, typer.Argument(help="A JSON document shaped like the defaults.")],
    reason: Annotated[str, typer.Option(help="Why the rules change (kept with the change).")] =
        "set from the command line",
) -> None:
    """Record the MSP's planning rules as a setting from today (validated first; plans already
    made keep their cadence)."""
    from aggregates.cadence_rules import PlanningRules

    rules = PlanningRules.from_json(file.read_bytes())
    record_rules(tenant, rules, reason)
    console.print(f"planning rules of {tenant} recorded")


@rules_app.command("reset")
def rules_reset(
    tenant: Annotated[str, typer.Option(help="The MSP.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the change).")] = "back to the defaults",
) -> None:
    """Record the product's default rules as the MSP's rules from today."""
    from aggregates.cadence_rules import default_rules

    record_rules(tenant, default_rules(), reason)
    console.print(f"planning rules of {tenant} reset to the defaults")


def record_rules(tenant: str, rules: Any, reason: str) -> None:
    from commands.msp_settings import SetCadenceRules
    from commands.results import Actor

    with ledger_services(tenant) as services:
        services.bus.handle(SetCadenceRules(rules=rules, reason=reason), Actor(tenant, "cli", "admin"))
        services.catch_up()


def run_scheduler(
    tenant: Annotated[str | None, typer.Option(help="Only this MSP.")] = None,
    annual_cron: Annotated[str, typer.Option(help="When the yearly plan runs (crontab).")]
    = "0 6 1 12 *",
) -> None:
    """Run the annual scheduler as its own process (with the read-model runners it reads)."""
    import logging

    from schedulers.factory import SchedulerConfig, build_scheduler, run_until_stopped

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with ledger_services(tenant) as services:
        services.start_projection_runners()
        scheduler = build_scheduler(services, SchedulerConfig(annual_cron=annual_cron, tenant=tenant),
                                    services.clock)
        console.print(f"{SCHEDULER} running since {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
                      " (Ctrl-C to stop)")
        run_until_stopped(scheduler, stop)
