"""The in-memory state of a client's strategy work: recommendations, meetings, action items.

Derived from events, never stored. Each state knows the transitions it allows, so the ``Client``
methods stay a lookup, a check and an event; the checks raise the named errors the API reports.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from aggregates.errors import (
    ActionItemAlreadyCompletedError,
    InvalidValueError,
    MeetingAlreadyHeldError,
    MeetingCancelledError,
    RecommendationAlreadyCompletedError,
    RecommendationAlreadyDecidedError,
    RecommendationAlreadyStartedError,
    RecommendationNotApprovedError,
    RecommendationNotStartedError,
)
from events.vocabulary import MeetingKind, MeetingStatus, RecommendationStatus

ACTION_ITEM_FIELDS = ("title", "owner", "next_step", "follow_up_on")


def fiscal_quarter_start(day: date, fiscal_year_start_month: int) -> date:
    """The first day of the fiscal quarter that contains ``day``."""
    months_into_year = (day.month - fiscal_year_start_month) % 12
    start_month_index = day.month - 1 - months_into_year % 3
    return date(day.year + start_month_index // 12, start_month_index % 12 + 1, 1)


def check_quarter_start(day: date | None, fiscal_year_start_month: int) -> None:
    if day is not None and fiscal_quarter_start(day, fiscal_year_start_month) != day:
        raise InvalidValueError(
            "target_quarter_start",
            f"must be the first day of a fiscal quarter of the client (the quarter containing"
            f" {day} starts {fiscal_quarter_start(day, fiscal_year_start_month)})",
        )


def check_not_negative(**amounts: Decimal) -> None:
    for name, amount in amounts.items():
        if Decimal(amount) < 0:
            raise InvalidValueError(name, "must not be negative")


@dataclass
class RecommendationState:
    recommendation_id: UUID
    finding_standard_ids: tuple[UUID, ...]
    target_quarter_start: date | None
    status: RecommendationStatus = RecommendationStatus.PROPOSED
    decision_maker_id: UUID | None = None

    @property
    def is_decided(self) -> bool:
        return self.status not in (RecommendationStatus.PROPOSED, RecommendationStatus.PRESENTED)

    def check_is_undecided(self) -> None:
        if self.is_decided:
            raise RecommendationAlreadyDecidedError(
                "recommendation_id", f"the recommendation is already {self.status.value}")

    def check_is_not_completed(self) -> None:
        if self.status is RecommendationStatus.COMPLETED:
            raise RecommendationAlreadyCompletedError(
                "recommendation_id", "the recommendation is already completed")

    def check_can_start(self) -> None:
        self.check_is_not_completed()
        if self.status is RecommendationStatus.IN_PROGRESS:
            raise RecommendationAlreadyStartedError(
                "recommendation_id", "the recommendation is already in progress")
        if self.status is not RecommendationStatus.APPROVED:
            raise RecommendationNotApprovedError(
                "recommendation_id",
                f"only an approved recommendation can start; it is {self.status.value}")

    def check_can_complete(self) -> None:
        self.check_is_not_completed()
        if self.status is not RecommendationStatus.IN_PROGRESS:
            raise RecommendationNotStartedError(
                "recommendation_id",
                f"only a started recommendation can complete; it is {self.status.value}")


@dataclass
class MeetingState:
    meeting_id: UUID
    kind: MeetingKind
    scheduled_for: datetime
    status: MeetingStatus = MeetingStatus.PLANNED

    def check_is_not_cancelled(self) -> None:
        if self.status is MeetingStatus.CANCELLED:
            raise MeetingCancelledError("meeting_id", "the meeting was cancelled")

    def check_is_planned(self) -> None:
        self.check_is_not_cancelled()
        if self.status is MeetingStatus.HELD:
            raise MeetingAlreadyHeldError("meeting_id", "the meeting was already held")


@dataclass
class ActionItemState:
    action_item_id: UUID
    meeting_id: UUID | None
    title: str
    owner: str
    next_step: str
    follow_up_on: date
    completed_at: datetime | None = None

    def check_is_open(self) -> None:
        if self.completed_at is not None:
            raise ActionItemAlreadyCompletedError(
                "action_item_id", "the action item is already completed")

    def plain_changes(self, changes: dict[str, object]) -> dict[str, str]:
        """The fields that really change, JSON-plain (``follow_up_on`` as an ISO date)."""
        plain: dict[str, str] = {}
        for name, value in changes.items():
            if name not in ACTION_ITEM_FIELDS:
                raise InvalidValueError(f"changes.{name}", "is not a field of an action item")
            if name == "follow_up_on":
                value = value.isoformat() if isinstance(value, date) else str(value)
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise InvalidValueError("changes.follow_up_on", "must be an ISO date") from None
            elif not isinstance(value, str) or not value.strip():
                raise InvalidValueError(f"changes.{name}", "must be non-empty text")
            current = getattr(self, name)
            if str(current.isoformat() if isinstance(current, date) else current) != value:
                plain[name] = value
        if not plain:
            raise InvalidValueError("changes", "no field differs from the action item")
        return plain

    def apply(self, changes: dict[str, str]) -> None:
        for name, value in changes.items():
            setattr(self, name, date.fromisoformat(value) if name == "follow_up_on" else value)
