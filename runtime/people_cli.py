"""``vcio people erase``: forget a decision maker on their request.

The erasure goes through the command bus like any other change (as the tenant's admin, named
``--by``): the person's key is destroyed and a ``DecisionMakerErased`` event records who erased
whom, when and why. Registered from ``runtime.cli``.
"""

from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console

from commands.clients import EraseDecisionMaker
from commands.results import Actor

people_app = typer.Typer(help="Decision makers' personal data: erasure on request.", no_args_is_help=True)
console = Console(width=None if Console().is_terminal else 140)


@people_app.command("erase")
def erase(
    tenant: Annotated[str, typer.Option(help="The MSP (see 'vcio tenants list').")],
    client: Annotated[UUID, typer.Option(help="The client's id.")],
    person: Annotated[UUID, typer.Option(help="The decision maker's id.")],
    reason: Annotated[str, typer.Option(help="Why (the request's reference; it is kept).")],
    by: Annotated[str, typer.Option(help="Who asks for the erasure (recorded).")] = "cli",
) -> None:
    """Erase a decision maker's name, email and phone everywhere, for good."""
    from runtime.database import open_database
    from runtime.services import running_services
    from runtime.settings import Settings
    from runtime.tenants import TenantStore

    command = EraseDecisionMaker(client_id=client, decision_maker_id=person, reason=reason)
    settings = Settings()
    with open_database(settings) as database, running_services(settings, database) as services:
        TenantStore(services.pool).check_known(tenant)
        result = services.bus.handle(command, Actor(tenant, by, "admin"))
    console.print(f"erased decision maker {person} of client {client} (event at position "
                  f"{result.position})", highlight=False)
