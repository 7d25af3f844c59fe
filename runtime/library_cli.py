"""``vcio standards import FILE`` and ``vcio standards export FILE``.

Import reads an OSCAL catalog (JSON or XML) or a CSV library, shows a progress bar while it
records the standards commands, and ends with what it did: created, revised, published,
retired, unchanged (and anything it skipped, with why). Running it twice records nothing new.
Export writes the tenant's library as CSV that imports back unchanged.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from commands.results import Actor
from events.vocabulary import Priority, ReviewFrequency
from library_io.files import LibraryFormat, export_csv, library_keys, read_library_file
from library_io.importer import import_library
from library_io.model import ImportSummary
from runtime.database import open_database
from runtime.services import running_services
from runtime.settings import Settings
from runtime.tenants import TenantStore, check_tenant_name

standards_app = typer.Typer(help="The standards library: import (OSCAL, CSV) and export (CSV).",
                            no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 140)

Tenant = Annotated[str, typer.Option(help="The MSP tenant whose library this is.")]
By = Annotated[str, typer.Option(help="Who decided it (recorded on every event).")]


def summary_table(summary: ImportSummary) -> Table:
    table = Table("outcome", "standards", title="Import summary")
    for outcome, count in summary.counts.items():
        if count or outcome in ("created", "revised", "retired", "unchanged"):
            table.add_row(outcome, str(count))
    return table


@standards_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="OSCAL catalog (.json/.xml) or CSV library.")],
    tenant: Tenant,
    by: By = "cli",
    file_format: Annotated[LibraryFormat | None, typer.Option(
        "--format", help="Default: from the extension, else the content.")] = None,
    key_prefix: Annotated[str, typer.Option(help="OSCAL: put before each control id.")] = "",
    priority: Annotated[Priority, typer.Option(help="OSCAL: priority of new standards.")] = Priority.MEDIUM,
    review_frequency: Annotated[ReviewFrequency, typer.Option(
        help="OSCAL: review frequency of new standards.")] = ReviewFrequency.ANNUAL,
) -> None:
    """Import a library file: create, revise, publish and retire standards to match it."""
    check_tenant_name(tenant)
    source = read_library_file(file.name, file.read_bytes(), file_format, key_prefix=key_prefix,
                               priority=priority, review_frequency=review_frequency)
    actor = Actor(tenant, by, "committee")
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        TenantStore(services.pool).check_known(tenant)
        services.projectors["standards_library"].catch_up()
        existing = library_keys((s.key, s.standard_id, s.status)
                                for s in services.library.list_standards(tenant))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task(f"importing {source.title}", total=len(source.entries))
            summary = import_library(services.bus, actor, source, existing,
                                     progress=lambda done, total: progress.update(task, completed=done))
    console.print(summary_table(summary))
    for key, why in summary.skipped:
        console.print(f"[yellow]skipped {key}[/]: {why}")


@standards_app.command("export")
def export_file(
    file: Annotated[Path, typer.Argument(dir_okay=False, writable=True, help="CSV file to write.")],
    tenant: Tenant,
) -> None:
    """Export the tenant's library (every standard, retired ones too) as CSV."""
    if not file.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(file.parent))
    actor = Actor(tenant, "cli", "viewer")
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        TenantStore(services.pool).check_known(tenant)
        services.projectors["standards_library"].catch_up()
        ids = [s.standard_id for s in services.library.list_standards(tenant)]
        text = export_csv(services.ledger, actor, ids)
    file.write_text(text, encoding="utf-8", newline="")
    console.print(f"wrote {len(ids)} standards to {file}")
