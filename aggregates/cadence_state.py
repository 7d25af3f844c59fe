"""The in-memory state of planning: proposed meetings, a cadence override, a meeting preference.

Derived from events, never stored. The checks here are the rules a plan must keep whoever
writes it (a scheduler job, a person at the command line): meetings inside the planned year
and period, distinct ids, a cadence in range.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from aggregates.errors import InvalidValueError
from events.vocabulary import MeetingKind

MAX_MEETINGS_PER_YEAR = 52
MAX_TOUCHES_PER_MONTH = 31
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class PlannedMeeting:
    """One meeting of a plan: the id it will be scheduled under, its kind and proposed time."""

    meeting_id: UUID
    kind: MeetingKind
    scheduled_for: datetime

    def to_record(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting_id, "kind": self.kind,
                "scheduled_for": self.scheduled_for}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "PlannedMeeting":
        return cls(UUID(str(record["meeting_id"])), MeetingKind(record["kind"]),
                   record["scheduled_for"])


@dataclass(frozen=True)
class CadenceOverride:
    meetings_per_year: int
    touches_per_month: int
    reason: str


@dataclass(frozen=True)
class MeetingPreference:
    weekday: int | None
    time_of_day: str | None
    timezone: str


def check_cadence(meetings_per_year: int, touches_per_month: int) -> None:
    if not 0 <= meetings_per_year <= MAX_MEETINGS_PER_YEAR:
        raise InvalidValueError("meetings_per_year", f"must be between 0 and {MAX_MEETINGS_PER_YEAR}")
    if not 0 <= touches_per_month <= MAX_TOUCHES_PER_MONTH:
        raise InvalidValueError("touches_per_month", f"must be between 0 and {MAX_TOUCHES_PER_MONTH}")


def check_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidValueError("reason", "say why (an override must be explainable later)")


def check_preference(weekday: int | None, time_of_day: str | None) -> None:
    if weekday is not None and not 1 <= weekday <= 5:
        raise InvalidValueError("weekday", "must be a business day, 1 (Monday) to 5 (Friday)")
    if time_of_day is not None and not TIME_OF_DAY.match(time_of_day):
        raise InvalidValueError("time_of_day", "must be a time of day as HH:MM")


def check_plan(year: int, period_start: date, meetings: list[PlannedMeeting]) -> None:
    """Meetings must fall in the planned year, from the period start on, under distinct ids."""
    if period_start.year != year:
        raise InvalidValueError("period_start", f"must be a day of {year}")
    if len({m.meeting_id for m in meetings}) != len(meetings):
        raise InvalidValueError("meetings", "two proposed meetings share an id")
    for meeting in meetings:
        if meeting.scheduled_for.tzinfo is None:
            raise InvalidValueError("meetings", "a proposed time must be timezone-aware")
        day = meeting.scheduled_for.astimezone(UTC).date()
        if day.year != year or day < period_start:
            raise InvalidValueError("meetings", f"{day} is outside the planned period"
                                    f" {period_start} to the end of {year}")
