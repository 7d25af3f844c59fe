"""``vcio standards import FILE`` and ``vcio standards export FILE``.

Import reads an OSCAL catalog (JSON or XML) or a CSV library, shows a progress bar while it
records the standards commands, and ends with what it did: created, revised, published,
retired, unchanged, the source's withdrawn controls imported as retired (reported apart: they
were never in force here), anything it skipped with why, and objectivity warnings about the
questions it wrote. ``--dry-run`` shows the same summary and records nothing. Running an import
twice records nothing new. Export writes the tenant's library as CSV that imports back unchanged.
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
from library_io.importer import Progress as ProgressCallback
from library_io.importer import import_library
from library_io.model import ImportSummary, LibrarySource
from library_io.oscal import DEFAULT_GROUP_CLASSES, Shape
from library_io.plan import plan_import
from runtime.database import open_database
from runtime.services import Services, running_services
from runtime.settings import Settings

standards_app = typer.Typer(help="The standards library: import (OSCAL, CSV) and export (CSV).",
                            no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 140)

Tenant = Annotated[str, typer.Option(help="The MSP tenant whose library this is.")]
By = Annotated[str, typer.Option(help="Who decided it (recorded on every event).")]
ALWAYS_SHOWN = ("created", "revised", "retired", "unchanged")
MAX_WARNINGS = 20


def summary_table(summary: ImportSummary) -> Table:
    title = "Dry run: nothing recorded" if summary.dry_run else "Import summary"
    table = Table("outcome", "standards", title=title)
    for outcome, count in summary.counts.items():
        if count or outcome in ALWAYS_SHOWN:
            table.add_row(outcome, str(count))
    return table


def summary_notes(summary: ImportSummary) -> list[str]:
    """The lines printed under the table: withdrawn controls, revised fields, skips, warnings."""
    verb = "would import" if summary.dry_run else "imported"
    count = len(summary.withdrawn)
    notes = [f"{verb} {count} withdrawn control{'' if count == 1 else 's'} as retired"
             ] if count else []
    notes += [f"revises {key}: {', '.join(fields)}" for key, fields in summary.changes.items()]
    notes += [f"skipped {key}: {why}" for key, why in summary.skipped]
    notes += [f"warning {key}: {advice}" for key, advice in summary.warnings[:MAX_WARNINGS]]
    if len(summary.warnings) > MAX_WARNINGS:
        notes.append(f"... and {len(summary.warnings) - MAX_WARNINGS} more objectivity warnings")
    return notes


def run_import(services: Services, actor: Actor, source: LibrarySource, *, dry_run: bool = False,
               progress: ProgressCallback | None = None) -> ImportSummary:
    """Match the source against the tenant's library, then import it or only plan it."""
    services.projectors["standards_library"].catch_up()
    existing = library_keys((s.key, s.standard_id, s.status)
                            for s in services.library.list_standards(actor.tenant))
    if dry_run:
        return plan_import(services.ledger, actor, source, existing)
    return import_library(services.bus, actor, source, existing, progress=progress)


def classes(values: list[str] | None) -> frozenset[str]:
    return frozenset(c.strip() for value in values or [] for c in value.split(",") if c.strip())


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
    standard_class: Annotated[list[str] | None, typer.Option(
        help="OSCAL: control classes to import as standards (repeat or comma-separate).")] = None,
    group_class: Annotated[list[str] | None, typer.Option(
        help="OSCAL: control classes that are categories, replacing the default "
             f"{', '.join(sorted(DEFAULT_GROUP_CLASSES))}.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be created, revised, retired; record nothing.")] = False,
) -> None:
    """Import a library file: create, revise, publish and retire standards to match it."""
    shape = Shape(group_classes=classes(group_class) if group_class else DEFAULT_GROUP_CLASSES,
                  standard_classes=classes(standard_class))
    source = read_library_file(file.name, file.read_bytes(), file_format, key_prefix=key_prefix,
                               priority=priority, review_frequency=review_frequency, shape=shape)
    actor = Actor(tenant, by, "committee")
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        if dry_run:
            summary = run_import(services, actor, source, dry_run=True)
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console) as progress:
                task = progress.add_task(f"importing {source.title}", total=len(source.entries))
                summary = run_import(services, actor, source, progress=lambda done, total: (
                    progress.update(task, completed=done)))
    console.print(summary_table(summary))
    for line in summary_notes(summary):
        console.print(line, markup=False, highlight=False)


@standards_app.command("export")
def export_file(
    file: Annotated[Path, typer.Argument(dir_okay=False, writable=True, help="CSV file to write.")],
    tenant: Tenant,
) -> None:
    """Export the tenant's library (every standard, retired ones too) as CSV."""
    actor = Actor(tenant, "cli", "viewer")
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        services.projectors["standards_library"].catch_up()
        ids = [s.standard_id for s in services.library.list_standards(tenant)]
        text = export_csv(services.ledger, actor, ids)
    file.write_text(text, encoding="utf-8", newline="")
    console.print(f"wrote {len(ids)} standards to {file}")
