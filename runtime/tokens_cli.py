"""``vcio tokens create|list|revoke`` and ``vcio tenants create|list``."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer
from psycopg_pool import ConnectionPool
from rich.console import Console
from rich.table import Table

from runtime.database import open_database
from runtime.settings import Settings
from runtime.tenants import TenantStore
from runtime.tokens import ROLES, TokenStore, parse_lifetime

tokens_app = typer.Typer(help="API tokens (each maps to one tenant and one role).", no_args_is_help=True)
tenants_app = typer.Typer(help="The MSPs (tenants) this installation serves.", no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 140)

Tenant = Annotated[str, typer.Option(help="The MSP tenant (see 'vcio tenants list').")]


@contextmanager
def auth_pool() -> Iterator[ConnectionPool]:
    """A small pool on the configured database, for the token and tenant tables."""
    with open_database(Settings()) as database, ConnectionPool(
            database.conninfo, min_size=1, max_size=2) as pool:
        yield pool


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


@tokens_app.command("create")
def create_token(
    tenant: Tenant,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what uses the token.")] = "cli",
    expires_in: Annotated[str | None, typer.Option(help="Lifetime such as 90d, 12h or 2w; none: never.")]
    = None,
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    if role not in ROLES:
        raise ValueError(f"--role must be one of {', '.join(ROLES)}; got {role!r}")
    lifetime = parse_lifetime(expires_in) if expires_in is not None else None
    with auth_pool() as pool:
        TenantStore(pool).check_known(tenant)
        issued = TokenStore(pool).issue(tenant, role, name, lifetime)
    console.print(f"token {issued.record.token_id} ({role} of {tenant}, expires "
                  f"{when(issued.record.expires_at)}):", highlight=False)
    print(issued.token)


@tokens_app.command("list")
def list_tokens(tenant: Tenant) -> None:
    """List the tenant's active tokens: id, name, role, created, last used, expiry."""
    with auth_pool() as pool:
        TenantStore(pool).check_known(tenant)
        found = TokenStore(pool).list(tenant)
    table = Table("id", "name", "role", "created", "last used", "expires", title=f"Tokens of {tenant}")
    for t in found:
        table.add_row(str(t.token_id), t.name, t.role, when(t.created_at), when(t.last_used_at),
                      when(t.expires_at))
    console.print(table)


@tokens_app.command("revoke")
def revoke_token(
    token_id: Annotated[UUID, typer.Argument(help="The id shown by 'vcio tokens list'.")],
    tenant: Tenant,
) -> None:
    """Revoke a token: requests with it are refused from now on."""
    with auth_pool() as pool:
        TenantStore(pool).check_known(tenant)
        if not TokenStore(pool).revoke(tenant, token_id):
            raise LookupError(f"no active token {token_id} in tenant {tenant!r}")
    console.print(f"token {token_id} revoked")


@tenants_app.command("create")
def create_tenant(
    name: Annotated[str, typer.Argument(help="Lower-case letters, digits, '.', '_', '-'.")],
) -> None:
    """Register an MSP, so that commands accept it as --tenant."""
    with auth_pool() as pool:
        created = TenantStore(pool).create(name)
    console.print(f"tenant {name} {'created' if created else 'already exists'}")


@tenants_app.command("list")
def list_tenants() -> None:
    """List the known MSPs."""
    with auth_pool() as pool:
        found = TenantStore(pool).list()
    table = Table("tenant", "created", title="Tenants")
    for t in found:
        table.add_row(t.name, when(t.created_at))
    console.print(table)
