"""Pure planning of a year's meetings: concrete days and times, no I/O and no clock.

The year is cut into equal slots, one per meeting. When the count divides twelve the slots are
whole months and each meeting aims at the 15th of the slot's middle month (quarterly: February,
May, August, November; every other month: February, April, ... December; monthly: every 15th);
otherwise the slots are equal runs of days and a meeting aims at the middle of its slot.
From that target the nearest business day is taken (Monday to Friday, not a holiday, and the
client's preferred weekday when set), looking forward first, at the preferred time of day in the
client's time zone.

So that a vCIO's clients do not all meet on the same day, each client's targets move by the
same few days (its *stagger*, derived from its id: stable across runs and processes, and
spread evenly over many clients), at most a quarter of a slot and never more than ten days.

A plan for the rest of a year (a client onboarded mid-year, or a catch-up) is the full year's
plan less the meetings before the period start, so it always agrees with a plan made on
1 January.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.vocabulary import MeetingKind

MAX_SHIFT_DAYS = 15
MAX_STAGGER_DAYS = 10


@dataclass(frozen=True)
class DayShape:
    """What a good meeting day looks like for one client (or the committee)."""

    time_of_day: time = time(10, 0)
    timezone: str = "UTC"
    weekday: int | None = None  # ISO: 1 = Monday ... 5 = Friday
    holidays: frozenset[date] = field(default_factory=frozenset)

    def accepts(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.holidays:
            return False
        return self.weekday is None or day.isoweekday() == self.weekday

    def moment(self, day: date) -> datetime:
        """The meeting's start on ``day``, as a UTC moment."""
        return datetime.combine(day, self.time_of_day, ZoneInfo(self.timezone)).astimezone(UTC)


@dataclass(frozen=True)
class ProposedDate:
    sequence: int
    kind: MeetingKind
    scheduled_for: datetime


def slot_targets(year: int, count: int) -> list[date]:
    """The day each of ``count`` evenly spread meetings aims at."""
    if count <= 0:
        return []
    if 12 % count == 0:
        months = 12 // count
        return [date(year, i * months + months // 2 + 1, 15) for i in range(count)]
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return [start + timedelta(days=(2 * i + 1) * days // (2 * count)) for i in range(count)]


def stagger_days(seed: int, count: int) -> int:
    """The day offset, in [-w, w], of the subject with ``seed`` for ``count`` meetings a year."""
    if count <= 0:
        return 0
    width = min(MAX_STAGGER_DAYS, 365 // count // 4)
    return seed % (2 * width + 1) - width


def meeting_day(target: date, shape: DayShape) -> date | None:
    """The acceptable day nearest to ``target`` in the same year (later first), if any."""
    for distance in range(MAX_SHIFT_DAYS + 1):
        for day in (target + timedelta(days=distance), target - timedelta(days=distance)):
            if day.year == target.year and shape.accepts(day):
                return day
    return None


def period_start(year: int, now: datetime, min_lead_days: int) -> date | None:
    """The first day a plan for ``year`` made at ``now`` may use; None when the year is over."""
    earliest = now.astimezone(UTC).date() + timedelta(days=min_lead_days)
    start = max(date(year, 1, 1), earliest)
    return start if start.year == year else None


def plan_meetings(year: int, count: int, kind: MeetingKind, shape: DayShape,
                  start: date | None = None, seed: int | None = None) -> list[ProposedDate]:
    """``count`` meetings spread over ``year``, keeping those on or after ``start``; ``seed``
    (a client's id as a number) staggers the days."""
    planned: list[ProposedDate] = []
    offset = timedelta(days=stagger_days(seed, count) if seed is not None else 0)
    for sequence, target in enumerate(slot_targets(year, count), start=1):
        moved = target + offset
        day = meeting_day(moved if moved.year == year else target, shape)
        if day is None:
            continue
        moment = shape.moment(day)
        if start is None or moment.date() >= start:
            planned.append(ProposedDate(sequence, kind, moment))
    return planned


def plan_single(year: int, month: int, kind: MeetingKind, shape: DayShape,
                start: date | None = None) -> ProposedDate | None:
    """One yearly event aimed at the 15th of ``month`` (the committee's library review)."""
    day = meeting_day(date(year, month, 15), shape)
    if day is None:
        return None
    moment = shape.moment(day)
    return ProposedDate(1, kind, moment) if start is None or moment.date() >= start else None
