"""Where the command line meets the user: a bad input, a missing file or an unreachable
database ends the command with one red line naming the problem and exit code 2, never a
traceback. Click's own usage errors keep their message and exit code 2 as well.
"""

from typing import Any

import psycopg
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

from aggregates.errors import DomainError
from commands.messages import reason

INPUT_ERROR_EXIT = 2
# Input and I/O errors: bad values (ValueError covers pydantic, JSON, Unicode and tenant
# errors), unknown ids (LookupError), broken domain rules, files, sockets and the database.
INPUT_ERRORS = (ValueError, LookupError, DomainError, OSError, SyntaxError, psycopg.Error)


def describe(error: BaseException) -> str:
    """One line naming the problem."""
    if isinstance(error, ValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {reason(e)}" for e in error.errors()]
        text = "; ".join(problems)
    elif isinstance(error, OSError) and error.strerror:
        text = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())


class BoundaryGroup(TyperGroup):
    """The root command group: input and I/O errors of any sub-command end as one red line."""

    def invoke(self, ctx: Any) -> Any:  # typer.core.Context (from its vendored click)
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except INPUT_ERRORS as error:
            Console(stderr=True, soft_wrap=True).print(f"[red]error: {escape(describe(error))}[/]")
            raise typer.Exit(INPUT_ERROR_EXIT) from None
