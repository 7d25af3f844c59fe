"""Per-MSP planning rules, as data: the cadence table and the few settings of the annual plan.

A client's cadence (strategy meetings a year, unique touches a month) is read from a small
table of rows, first match wins, each row a set of ranges over MRR, user count and complexity
(``min`` inclusive, ``below`` exclusive; a missing range matches anything, and all ranges of a
row must hold). The last row must match every client. Cadence is deliberately not a formula of
MRR: the defaults (``default_rules.json``) give a 3,000 and a 6,500 MRR client the same
quarterly cadence, and a complex 1,500 MRR client more. A client's manual override wins over
the table.

More never gives less: a rule set is refused, naming the two rows, when a client with more MRR,
more users or more complexity (the rest equal) would get fewer meetings or fewer touches than a
smaller one. The check walks the grid of every range bound the rows name (the cadence is constant
between bounds), comparing each point with its next neighbour up in each dimension. Rules stored
before the check existed still load (``PlanningRules.stored``), so a scheduler never stops on them.

An MSP changes its rules by storing its own JSON document of the same shape (see
``schedulers.store.RuleStore``); nothing here branches on a tenant.
"""

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from aggregates.cadence_state import MAX_MEETINGS_PER_YEAR, MAX_TOUCHES_PER_MONTH, CadenceOverride

DEFAULT_RULES_FILE = "default_rules.json"
DIMENSIONS = ("mrr", "users", "complexity")
STORED = "stored"  # validation context: rules read back from the store, checked when saved


class Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Range(Rules):
    min: Decimal | None = None
    below: Decimal | None = None

    def holds(self, value: Decimal) -> bool:
        return (self.min is None or value >= self.min) and (self.below is None or value < self.below)

    @model_validator(mode="after")
    def not_empty(self) -> "Range":
        if self.min is not None and self.below is not None and self.below <= self.min:
            raise ValueError("'below' must be greater than 'min'")
        return self


class Conditions(Rules):
    mrr: Range | None = None
    users: Range | None = None
    complexity: Range | None = None

    @property
    def matches_all(self) -> bool:
        return self.mrr is None and self.users is None and self.complexity is None

    def hold(self, mrr: Decimal, users: int, complexity: int) -> bool:
        checks = ((self.mrr, mrr), (self.users, Decimal(users)), (self.complexity, Decimal(complexity)))
        return all(limit is None or limit.holds(value) for limit, value in checks)


class CadenceRule(Rules):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    when: Conditions = Conditions()
    meetings_per_year: Annotated[int, Field(ge=0, le=MAX_MEETINGS_PER_YEAR)]
    touches_per_month: Annotated[int, Field(ge=0, le=MAX_TOUCHES_PER_MONTH)]


@dataclass(frozen=True)
class Cadence:
    """What a client is planned with, and where it came from (``rule:<name>`` or ``override``)."""

    meetings_per_year: int
    touches_per_month: int
    source: str


class PlanningRules(Rules):
    """One MSP's rules: the cadence table, the committee's year and the shape of a meeting day."""

    cadence_rules: list[CadenceRule] = Field(min_length=1)
    committee_meetings_per_year: Annotated[int, Field(ge=0, le=MAX_MEETINGS_PER_YEAR)] = 4
    library_review_month: Annotated[int, Field(ge=1, le=12)] = 11
    meeting_time: time = time(10, 0)
    timezone: str = "UTC"
    min_lead_days: Annotated[int, Field(ge=0, le=90)] = 7
    holidays: list[date] = Field(default_factory=list)

    @field_validator("cadence_rules")
    @classmethod
    def last_rule_matches_everyone(cls, rules: list[CadenceRule]) -> list[CadenceRule]:
        if not rules[-1].when.matches_all:
            raise ValueError("the last cadence rule must have no conditions (it is the fallback)")
        if len({r.name for r in rules}) != len(rules):
            raise ValueError("cadence rule names must be distinct")
        return rules

    @model_validator(mode="after")
    def more_never_gives_less(self, info: ValidationInfo) -> "PlanningRules":
        if info.context and info.context.get(STORED):
            return self
        for lower, higher, dimension in grid_steps(self.cadence_rules):
            small, large = self.rule_for(*lower), self.rule_for(*higher)
            if (large.meetings_per_year < small.meetings_per_year
                    or large.touches_per_month < small.touches_per_month):
                raise ValueError(
                    f"rows '{small.name}' and '{large.name}' break 'more never gives less': a"
                    f" client at {describe(lower)} gets {small.meetings_per_year} meetings a year"
                    f" and {small.touches_per_month} touches a month from '{small.name}', but with"
                    f" more {dimension} ({describe(higher)}) only {large.meetings_per_year} and"
                    f" {large.touches_per_month} from '{large.name}'")
        return self

    def rule_for(self, mrr: Decimal, users: int, complexity: int) -> CadenceRule:
        """The first rule whose conditions hold (the last one holds for everyone)."""
        return next(r for r in self.cadence_rules if r.when.hold(Decimal(mrr), users, complexity))

    def cadence_for(self, mrr: Decimal, users: int, complexity: int,
                    override: CadenceOverride | None = None) -> Cadence:
        """The override when the client has one, else the first rule whose conditions hold."""
        if override is not None:
            return Cadence(override.meetings_per_year, override.touches_per_month, "override")
        rule = self.rule_for(mrr, users, complexity)
        return Cadence(rule.meetings_per_year, rule.touches_per_month, f"rule:{rule.name}")

    @classmethod
    def from_json(cls, text: str | bytes) -> "PlanningRules":
        return cls.model_validate_json(text)

    @classmethod
    def stored(cls, text: str | bytes) -> "PlanningRules":
        """Rules read back from the store: checked when they were saved, loaded as they are."""
        return cls.model_validate_json(text, context={STORED: True})

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True)


Point = tuple[Decimal, int, int]


def bounds(rules: list[CadenceRule], dimension: str) -> list[Decimal]:
    """The values from which the cadence may change along ``dimension`` (whole numbers for users
    and complexity, which are counted), lowest first, starting at the smallest possible value."""
    lowest = Decimal(1) if dimension == "complexity" else Decimal(0)
    found = {lowest}
    for rule in rules:
        limit = getattr(rule.when, dimension)
        for value in (limit.min, limit.below) if limit is not None else ():
            if value is not None:
                found.add(value if dimension == "mrr" else Decimal(math.ceil(value)))
    ceiling = Decimal(10) if dimension == "complexity" else None
    return sorted(v for v in found if v >= lowest and (ceiling is None or v <= ceiling))


def grid_steps(rules: list[CadenceRule]) -> Iterator[tuple[Point, Point, str]]:
    """Each grid point paired with its next neighbour up in each dimension."""
    mrrs, users, complexities = (bounds(rules, d) for d in DIMENSIONS)
    axes = (mrrs, users, complexities)
    for i, mrr in enumerate(mrrs):
        for j, user in enumerate(users):
            for k, complexity in enumerate(complexities):
                at = (i, j, k)
                for axis, dimension in enumerate(DIMENSIONS):
                    if at[axis] + 1 < len(axes[axis]):
                        up = list(at)
                        up[axis] += 1
                        yield (point(mrr, user, complexity),
                               point(mrrs[up[0]], users[up[1]], complexities[up[2]]), dimension)


def point(mrr: Decimal, users: Decimal, complexity: Decimal) -> Point:
    return mrr, int(users), int(complexity)


def describe(at: Point) -> str:
    return f"MRR {at[0]}, {at[1]} users, complexity {at[2]}"


@cache
def default_rules() -> PlanningRules:
    """The product's defaults; they reproduce the brief's worked rows A, B and C."""
    text = resources.files("aggregates").joinpath(DEFAULT_RULES_FILE).read_text(encoding="utf-8")
    return PlanningRules.model_validate(json.loads(text))
