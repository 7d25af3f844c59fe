"""The alignment score, as the brief defines it (and as MSPs moving over expect to see it).

``score = 100 * sum(weight * factor) / sum(weight)`` over answered, applicable standards;
weights come from the standard's priority and factors from alignment and the vCIO's rating.
Not-applicable and unanswered standards are left out of the score. Coverage is answered
applicable standards / applicable standards in scope: an n/a answer takes its standard out of
both, and is reported as its own count. Scores and coverage are exact to two decimals (46.43).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from aggregates.errors import InvalidValueError

HUNDREDTH = Decimal("0.01")
PRIORITIES = ("high", "medium", "low")
FACTORS = ("aligned", "marginal", "highly_vulnerable", "unrated")


@dataclass(frozen=True)
class ScoringPolicy:
    weights: Mapping[str, Decimal] = field(default_factory=lambda: {
        "high": Decimal(5), "medium": Decimal(3), "low": Decimal(1)})
    aligned: Decimal = Decimal(1)
    marginal: Decimal = Decimal("0.5")
    highly_vulnerable: Decimal = Decimal(0)
    unrated: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        """A policy is checked when made, so a bad one never reaches a score: a weight for every
        priority, none negative, not all zero; every factor between 0 and 1."""
        for priority in PRIORITIES:
            weight = self.weights.get(priority)
            if weight is None:
                raise InvalidValueError(f"weights.{priority}", "every priority needs a weight")
            if weight < 0:
                raise InvalidValueError(f"weights.{priority}", "must not be negative")
        if sum(self.weights[p] for p in PRIORITIES) == 0:
            raise InvalidValueError("weights", "at least one weight must be above 0")
        for name in FACTORS:
            if not Decimal(0) <= getattr(self, name) <= Decimal(1):
                raise InvalidValueError(name, "must be between 0 and 1")

    def factor(self, item: "ScoredItem") -> Decimal:
        return self.factor_of(item.is_aligned, item.rating)

    def factor_of(self, aligned: bool, rating: str | None) -> Decimal:
        if aligned:
            return self.aligned
        if rating == "marginal":
            return self.marginal
        if rating == "highly_vulnerable":
            return self.highly_vulnerable
        return self.unrated


DEFAULT_POLICY = ScoringPolicy()


class PolicySource(Protocol):
    """Where a view finds the scoring policy an MSP has in force at an instant (the MSP's
    settings read model answers this; an MSP that never set one gets ``DEFAULT_POLICY``)."""

    def scoring_policy(self, tenant: str, at: datetime) -> ScoringPolicy: ...


@dataclass(frozen=True)
class FixedPolicy:
    """The same policy for every MSP and instant."""

    policy: ScoringPolicy = DEFAULT_POLICY

    def scoring_policy(self, tenant: str, at: datetime) -> ScoringPolicy:
        return self.policy


DEFAULT_POLICIES = FixedPolicy()


@dataclass(frozen=True)
class ScoredItem:
    """One standard in scope of a review, answered or not."""

    category: str
    priority: str
    expected_answer: str
    answer: str | None
    rating: str | None = None

    @property
    def is_applicable_answer(self) -> bool:
        return self.answer is not None and self.answer != "not_applicable"

    @property
    def is_aligned(self) -> bool:
        return self.answer == self.expected_answer


@dataclass(frozen=True)
class Score:
    score: Decimal | None
    answered: int
    aligned: int
    misaligned: int
    not_applicable: int
    unanswered: int

    @property
    def coverage(self) -> Decimal | None:
        """Share of the applicable standards in scope that were answered (n/a is out of both)."""
        applicable = self.answered + self.unanswered
        if applicable == 0:
            return None
        return (Decimal(100) * self.answered / applicable).quantize(HUNDREDTH, ROUND_HALF_UP)


#: A scored item as plain values, in :class:`ScoredItem`'s field order (category, priority,
#: expected answer, answer, rating): what a projection reads from its tables, scored without
#: making an object per item (hundreds per review).
ItemRow = tuple[str, str, str, str | None, str | None]


def as_row(item: ScoredItem) -> ItemRow:
    return (item.category, item.priority, item.expected_answer, item.answer, item.rating)


def score(items: Iterable[ScoredItem], policy: ScoringPolicy = DEFAULT_POLICY) -> Score:
    return score_rows(map(as_row, items), policy)


def score_by_category(items: Iterable[ScoredItem],
                      policy: ScoringPolicy = DEFAULT_POLICY) -> dict[str, Score]:
    return score_rows_by_category(map(as_row, items), policy)


def score_rows(rows: Iterable[ItemRow], policy: ScoringPolicy = DEFAULT_POLICY) -> Score:
    numerator = denominator = Decimal(0)
    answered = aligned = misaligned = na = unanswered = 0
    weights = policy.weights
    for _, priority, expected, answer, rating in rows:
        if answer is None:
            unanswered += 1
            continue
        if answer == "not_applicable":
            na += 1
            continue
        answered += 1
        is_aligned = answer == expected
        aligned += is_aligned
        misaligned += not is_aligned
        weight = weights[priority]
        numerator += weight * policy.factor_of(is_aligned, rating)
        denominator += weight
    value = None
    if denominator:
        value = (Decimal(100) * numerator / denominator).quantize(HUNDREDTH, ROUND_HALF_UP)
    return Score(value, answered, aligned, misaligned, na, unanswered)


def score_rows_by_category(rows: Iterable[ItemRow],
                           policy: ScoringPolicy = DEFAULT_POLICY) -> dict[str, Score]:
    grouped: dict[str, list[ItemRow]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return {category: score_rows(group, policy) for category, group in sorted(grouped.items())}
