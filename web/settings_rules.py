"""The Settings page's forms for the cadence rules and the currency and fiscal year.

The cadence form edits the table of rules row by row (a row with no name is left out; the last
row is the fallback, with no conditions); the rest of the planning rules (committee meetings,
meeting time, time zone, holidays) stay as in force. A rule set where more MRR, users or
complexity would give a client fewer meetings or touches is refused with the checker's own
words, naming both rows, as the API and the CLI refuse it; nothing is recorded.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response
from pydantic import ValidationError

from aggregates.errors import InvalidValueError
from commands.messages import reason as why_refused
from commands.msp_settings import SetCadenceRules, SetFinancialDefaults
from commands.results import Actor
from web.errors import parse_day, web_router
from web.pages import Pages
from web.ports import WebServices
from web.session import actor_dependency
from web.settings import settings_recorder

# Each column of the rules table, posted once per row (the form's row order is the rule order).
COLUMNS = ("name", "mrr_min", "mrr_below", "users_min", "users_below", "complexity_min",
           "complexity_below", "meetings_per_year", "touches_per_month")
Cells = Annotated[list[str], Form(max_length=100)]  # at most 100 rows, as the rules allow
CELL_LENGTH = 40
Text = Annotated[str, Form(max_length=20)]
Reason = Annotated[str, Form(max_length=4000)]


def rule_from(cells: dict[str, str]) -> dict[str, Any]:
    """One row as the rules document has it; an empty cell is no limit."""
    when: dict[str, dict[str, str]] = {}
    for dimension in ("mrr", "users", "complexity"):
        limits = {end: cells[f"{dimension}_{end}"].strip() for end in ("min", "below")}
        limits = {end: value for end, value in limits.items() if value}
        if limits:
            when[dimension] = limits
    return {"name": cells["name"].strip(), "when": when,
            "meetings_per_year": cells["meetings_per_year"].strip(),
            "touches_per_month": cells["touches_per_month"].strip()}


def rules_from_rows(columns: dict[str, list[str]]) -> list[dict[str, Any]]:
    lengths = {len(cells) for cells in columns.values()}
    if len(lengths) != 1:
        raise InvalidValueError("rules", "every row needs each of its cells; reload the page")
    rows = [dict(zip(columns, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]
    for number, row in enumerate(rows, start=1):
        for column, value in row.items():
            if len(value) > CELL_LENGTH:
                raise InvalidValueError("rules", f"row {number} {column}: at most {CELL_LENGTH} characters")
    return [rule_from(row) for row in rows if any(value.strip() for value in row.values())]


def refusal(error: ValidationError) -> InvalidValueError:
    """The checker's reasons in words, each with the row it is about (both rows for a rule set
    where more gives less)."""
    said = []
    for problem in error.errors():
        where = [str(part) for part in problem["loc"] if part not in ("rules", "cadence_rules")]
        place = f"row {int(where[0]) + 1} {' '.join(where[1:])}".strip() if where and where[0].isdigit() \
            else " ".join(where)
        said.append(f"{place}: {why_refused(problem)}" if place else why_refused(problem))
    return InvalidValueError("rules", "; ".join(said))


def build_router(services: WebServices, pages: Pages) -> APIRouter:
    router = web_router(pages)
    ActorDep = Annotated[Actor, Depends(actor_dependency(services))]

    record = settings_recorder(services)

    @router.post("/settings/cadence-rules")
    def cadence_rules(actor: ActorDep, reason: Reason,
                      name: Cells, mrr_min: Cells, mrr_below: Cells, users_min: Cells,
                      users_below: Cells, complexity_min: Cells, complexity_below: Cells,
                      meetings_per_year: Cells, touches_per_month: Cells,
                      effective_on: Text = "") -> Response:
        rows = rules_from_rows(dict(zip(COLUMNS, (
            name, mrr_min, mrr_below, users_min, users_below, complexity_min, complexity_below,
            meetings_per_year, touches_per_month), strict=True)))
        in_force = services.msp_settings.cadence_rules_or_defaults(actor.tenant, services.clock())
        document = {**in_force.model_dump(mode="json"), "cadence_rules": rows}
        try:
            command = SetCadenceRules.model_validate({
                "reason": reason, "effective_on": parse_day(effective_on, "effective"),
                "rules": document})
        except ValidationError as error:
            raise refusal(error) from None
        return record(command, actor, "cadence_rules_set")

    @router.post("/settings/financial-defaults")
    def financial_defaults(actor: ActorDep, reason: Reason, currency: Text, fiscal_year_start_month: Text,
                           effective_on: Text = "") -> Response:
        command = SetFinancialDefaults.model_validate({
            "reason": reason, "effective_on": parse_day(effective_on, "effective"),
            "currency": currency.strip().upper(), "fiscal_year_start_month": fiscal_year_start_month})
        return record(command, actor, "financial_defaults_set")

    return router
