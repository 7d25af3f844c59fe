"""A client's cadence as its next plan will use it, and why: the planner's public answer for
readers outside it (the API), so they never need to know the rule table or the override rule.

The override, when the client has one, wins over the first rule of the MSP's table that matches
the client's MRR, user count and complexity.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from aggregates.cadence_rules import Cadence, PlanningRules
from aggregates.cadence_state import CadenceOverride, MeetingPreference

__all__ = ["Cadence", "CadenceProfile", "ClientCadence", "client_cadence"]


class CadenceProfile(Protocol):
    """What a cadence is decided from (the client directory's ``DirectoryClient`` has it)."""

    @property
    def mrr(self) -> Decimal: ...
    @property
    def user_count(self) -> int: ...
    @property
    def complexity(self) -> int: ...
    @property
    def override_meetings_per_year(self) -> int | None: ...
    @property
    def override_touches_per_month(self) -> int | None: ...
    @property
    def override_reason(self) -> str | None: ...
    @property
    def preferred_weekday(self) -> int | None: ...
    @property
    def preferred_time(self) -> str | None: ...
    @property
    def timezone(self) -> str | None: ...


@dataclass(frozen=True)
class ClientCadence:
    """The cadence the next plan uses, what the MSP's rules alone give, the override (if any)
    and when the client likes to meet (if said)."""

    cadence: Cadence
    by_rules: Cadence
    override: CadenceOverride | None
    meeting_preference: MeetingPreference | None


def client_cadence(rules: PlanningRules, client: CadenceProfile) -> ClientCadence:
    override = None
    if client.override_meetings_per_year is not None and client.override_touches_per_month is not None:
        override = CadenceOverride(client.override_meetings_per_year, client.override_touches_per_month,
                                   client.override_reason or "")
    preference = None
    if client.timezone is not None:
        preference = MeetingPreference(client.preferred_weekday, client.preferred_time, client.timezone)
    return ClientCadence(
        cadence=rules.cadence_for(client.mrr, client.user_count, client.complexity, override),
        by_rules=rules.cadence_for(client.mrr, client.user_count, client.complexity),
        override=override,
        meeting_preference=preference,
    )
