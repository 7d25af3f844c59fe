"""The ``vcio`` command line: serve the API, manage tokens, and look after projections.

Every command uses the same database: ``VCIO_DATABASE_URL`` when set, otherwise the embedded
PostgreSQL whose data lives in ``VCIO_DATA_DIR``.
"""

import logging
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from runtime.database import open_database
from runtime.library_cli import standards_app
from runtime.schedule_cli import run_scheduler, schedule_app
from runtime.services import running_services
from runtime.settings import Settings
from runtime.streaming_cli import app as streaming_app
from runtime.tokens import ROLES

app = typer.Typer(help="vCIO Ledger: event-sourced vCIO platform for MSPs.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (each maps to one tenant and one role).", no_args_is_help=True)
projections_app = typer.Typer(help="Read models: status, rebuild, dead letters.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")
app.add_typer(projections_app, name="projections")
app.add_typer(schedule_app, name="schedule")
app.add_typer(streaming_app)
app.add_typer(standards_app, name="standards")
app.command("scheduler")(run_scheduler)
console = Console(width=None if Console().is_terminal else 140)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo data on first start.")] = False,
    scheduler: Annotated[bool, typer.Option("--scheduler/--no-scheduler",
                                            help="Run the annual scheduler in this process.")] = True,
    workers: Annotated[int, typer.Option(min=1, help="HTTP worker processes (app factory); "
                                         "projection runners and the scheduler stay in this one.")] = 1,
) -> None:
    """Start the HTTP API (and the projection runners) on the configured database."""
    import uvicorn

    from runtime.app import build_app
    from runtime.demo import DEMO_TENANT, load_demo

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if demo:
            console.print("Loading demo data (first start only; later starts record nothing new)...")
            load_demo(services.bus)
            token = services.tokens.create(DEMO_TENANT, "admin", "demo-admin")
            console.print(f"Demo admin token for tenant [bold]{DEMO_TENANT}[/]: [green]{token}[/]")
        services.start_projection_runners()
        ledger_scheduler = None
        if scheduler:
            from schedulers.factory import build_scheduler

            ledger_scheduler = build_scheduler(services, clock=services.clock)
            ledger_scheduler.start()
        console.print(f"vCIO Ledger listening on [bold]http://{host}:{port}/[/] (API docs at /docs)")
        try:
            if workers == 1:
                uvicorn.run(build_app(services), host=host, port=port, log_level="info")
            else:
                # Workers join this process's database (the embedded one included) by URL.
                os.environ["VCIO_DATABASE_URL"] = database.conninfo
                uvicorn.run("runtime.app:create_app", factory=True, workers=workers, host=host,
                            port=port, log_level="info")
        finally:
            if ledger_scheduler is not None:
                ledger_scheduler.shutdown()


@tokens_app.command("create")
def create_token(
    tenant: Annotated[str, typer.Option(help="The MSP tenant the token belongs to.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what uses the token.")] = "cli",
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    if role not in ROLES:
        console.print(f"[red]--role must be one of {', '.join(ROLES)}; got {role!r}[/]")
        raise typer.Exit(code=2)
    settings = Settings()
    with open_database(settings) as database:
        from psycopg_pool import ConnectionPool

        from runtime.tokens import TokenStore

        with ConnectionPool(database.conninfo, min_size=1, max_size=2) as pool:
            print(TokenStore(pool).create(tenant, role, name))


@projections_app.command("status")
def projections_status() -> None:
    """Show each projection's generation, position, lag and dead letters."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        table = Table("projection", "generation", "position", "head", "lag", "dead letters",
                      "runner active")
        for projector in services.projectors.values():
            s = projector.status()
            table.add_row(s.name, str(s.generation), str(s.position), str(s.head), str(s.lag),
                          f"[red]{s.dead_letters}[/]" if s.dead_letters else "0",
                          "yes" if s.runner_active else "no")
        console.print(table)


@projections_app.command("rebuild")
def projections_rebuild(
    name: Annotated[str | None, typer.Argument(help="One projection; all when omitted.")] = None,
) -> None:
    """Rebuild from the event log into a new generation, then swap it in (reads keep working)."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if name is not None and name not in services.projectors:
            console.print(f"[red]unknown projection {name!r}; known: {', '.join(services.projectors)}[/]")
            raise typer.Exit(code=2)
        names = [name] if name else list(services.projectors)
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), console=console) as progress:
            for each in names:
                task = progress.add_task(each, total=None)

                def report(position: int, head: int, task_id: TaskID = task) -> None:
                    progress.update(task_id, completed=position, total=head)

                generation = services.projectors[each].rebuild(report)
                progress.update(task, description=f"{each} -> generation {generation}")


@projections_app.command("retry")
def projections_retry(
    name: Annotated[str | None, typer.Argument(help="One projection; all when omitted.")] = None,
) -> None:
    """Re-apply dead-lettered events (after the projection's code was fixed)."""
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
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
def demo_load() -> None:
    """Load the demo data into the configured database (idempotent)."""
    from runtime.demo import load_demo

    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        ids = load_demo(services.bus)
        services.catch_up()
        for code, client_id in ids.items():
            console.print(f"client {code}: {client_id}")


