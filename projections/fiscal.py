"""Calendar arithmetic the strategy read models share: months, fiscal quarters, and how a
recommendation's budget falls into months.

A fiscal year is named after the calendar year in which it ends (a client whose fiscal year
starts in July is in FY2026 from 2025-07-01 to 2026-06-30); with a January start the fiscal year
is the calendar year.

Budget rule (the roadmap and the budget read models both use ``costs_in_month``):
- the one-time budget falls in the month of the target quarter's start;
- the recurring monthly budget counts in every month from that month onwards, with no end
  (a recurring cost such as a subscription keeps running once the project is done), so a
  window of months shows it in each of its months from the start onwards;
- an unscheduled recommendation falls in no month; the read models list it apart.
Whether a recommendation's costs count at all depends on its status, which each read model
decides (declined ones never do).
"""

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction

ZERO = Decimal("0.00")
MIN_YEAR, MAX_YEAR = MINYEAR, MAXYEAR


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``.

    Raises ``ValueError`` naming the range when the result leaves the calendar (years 1-9999);
    entry points bound their dates to 1900-2200, far inside it."""
    index = day.year * 12 + day.month - 1 + months
    if not MIN_YEAR * 12 <= index < (MAX_YEAR + 1) * 12:
        raise ValueError(f"{day} plus {months} months leaves the years {MIN_YEAR}-{MAX_YEAR}")
    return date(index // 12, index % 12 + 1, 1)


def months_from(first: date, count: int) -> list[date]:
    return [add_months(first, n) for n in range(count)]


def fiscal_quarter_start(day: date, fiscal_year_start_month: int) -> date:
    """The first day of the client's fiscal quarter that contains ``day``."""
    offset = (day.month - fiscal_year_start_month) % 3
    return add_months(day, -offset)


def fiscal_year_start(day: date, fiscal_year_start_month: int) -> date:
    """The first day of the client's fiscal year that contains ``day``."""
    offset = (day.month - fiscal_year_start_month) % 12
    return add_months(day, -offset)


def fiscal_year(day: date, fiscal_year_start_month: int) -> int:
    """The fiscal year containing ``day``, named after the calendar year in which it ends."""
    return add_months(fiscal_year_start(day, fiscal_year_start_month), 11).year


def quarter_label(quarter_start: date, fiscal_year_start_month: int) -> str:
    """``FY2026 Q2`` for the fiscal quarter starting at ``quarter_start``."""
    number = (quarter_start.month - fiscal_year_start_month) % 12 // 3 + 1
    return f"FY{fiscal_year(quarter_start, fiscal_year_start_month)} Q{number}"


def costs_in_month(month: date, target_quarter_start: date | None, one_time: Decimal,
                   recurring_monthly: Decimal) -> tuple[Decimal, Decimal]:
    """(one-time, recurring) of one recommendation in ``month``, by the rule above."""
    if target_quarter_start is None:
        return ZERO, ZERO
    first = month_start(target_quarter_start)
    if month < first:
        return ZERO, ZERO
    return (one_time if month == first else ZERO), recurring_monthly


@dataclass(frozen=True)
class Period:
    """A half-open period of days, [start, end); moments are placed in it by their UTC date."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")

    def contains(self, moment: date | datetime | None) -> bool:
        if moment is None:
            return False
        day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
        return self.start <= day < self.end

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(), UTC)

    @property
    def months(self) -> Decimal:
        """Length in months: each calendar month counts by the share of its days inside the
        period, so [2025-01-01, 2025-04-01) is exactly 3 and a half-month counts about 0.5."""
        total = Fraction(0)
        month = month_start(self.start)
        while month < self.end:
            following = add_months(month, 1)
            inside = (min(following, self.end) - max(month, self.start)).days
            total += Fraction(inside, (following - month).days)
            month = following
        return (Decimal(total.numerator) / Decimal(total.denominator)).quantize(Decimal("0.0001"))
