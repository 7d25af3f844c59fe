"""``vcio clients list``, and how every ``--client`` option finds its client: by id, by key
(the first characters of the id that ``vcio clients list`` shows, at least four), or by name
(any case). A name or key that fits several clients is refused, naming them, so a command never
acts on a client the user did not mean.
"""

from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from projections.catalog import ProjectionReader
from projections.client_directory import ClientDirectoryView, DirectoryClient

clients_app = typer.Typer(help="The MSP's clients (as the client directory read model has them).",
                          no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 140)

KEY_LENGTH = 8
MIN_KEY_LENGTH = 4


def key(client: DirectoryClient) -> str:
    """The short key ``vcio clients list`` shows: the id's first characters."""
    return client.client_id.hex[:KEY_LENGTH]


def candidates(reader: ProjectionReader, tenant: str | None) -> list[DirectoryClient]:
    directory = ClientDirectoryView(reader)
    tenants = [tenant] if tenant is not None else directory.tenants()
    return [c for t in tenants for c in directory.clients(t, include_offboarded=True)]


def resolve_client(reader: ProjectionReader, tenant: str | None, text: str) -> DirectoryClient:
    """The one client ``text`` names (id, key or name) in ``tenant`` (in any tenant when None)."""
    wanted = text.strip()
    if not wanted:
        raise ValueError("--client must not be empty: give a client's id, key or name")
    try:
        client_id = UUID(wanted)
    except ValueError:
        client_id = None
    if client_id is not None:
        found = ClientDirectoryView(reader).locate(client_id)
        if found is None or (tenant is not None and found.tenant != tenant):
            raise LookupError(f"--client: no client with id {client_id}"
                              + (f" in tenant {tenant}" if tenant else ""))
        return found
    everyone = candidates(reader, tenant)
    matches = [c for c in everyone if c.name.casefold() == wanted.casefold()]
    if not matches and len(wanted) >= MIN_KEY_LENGTH:
        matches = [c for c in everyone if c.client_id.hex.startswith(wanted.lower().replace("-", ""))]
    if not matches:
        raise LookupError(f"--client: no client with the name or key {wanted!r}"
                          + (f" in tenant {tenant}" if tenant else "")
                          + "; see 'vcio clients list --tenant T'")
    if len(matches) > 1:
        named = "; ".join(f"{c.name} (key {key(c)}, tenant {c.tenant})" for c in matches)
        raise ValueError(f"--client {wanted!r} fits {len(matches)} clients: {named}; give a key or id")
    return matches[0]


@clients_app.command("list")
def list_clients(
    tenant: Annotated[str, typer.Option(help="The MSP tenant (see 'vcio tenants list').")],
    include_offboarded: Annotated[bool, typer.Option("--all", help="Offboarded clients too.")] = False,
) -> None:
    """List the tenant's clients: key, name, vCIO, TAM, MRR and id (--client takes any of key,
    name or id)."""
    from runtime.schedule_cli import ledger_services

    with ledger_services(tenant) as services:
        found = ClientDirectoryView(services.reader).clients(tenant,
                                                            include_offboarded=include_offboarded)
    table = Table("key", "name", "vCIO", "TAM", "MRR", "offboarded", "id",
                  title=f"Clients of {tenant}")
    for c in found:
        table.add_row(key(c), c.name, c.vcio, c.tam, f"{c.mrr:,.2f}",
                      c.offboarded_on.isoformat() if c.offboarded_on else "", str(c.client_id))
    console.print(table)
    if not found:
        console.print("no clients yet")
