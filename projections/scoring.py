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

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class ScoringPolicy:
    weights: Mapping[str, Decimal] = field(default_factory=lambda: {
        "high": Decimal(5), "medium": Decimal(3), "low": Decimal(1)})
    aligned: Decimal = Decimal(1)
    marginal: Decimal = Decimal("0.5")
    highly_vulnerable: Decimal = Decimal(0)
    unrated: Decimal = Decimal(0)

    def factor(self, item: "ScoredItem") -> Decimal:
        if item.is_aligned:
            return self.aligned
        if item.rating == "marginal":
            return self.marginal
        if item.rating == "highly_vulnerable":
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


def score(items: Iterable[ScoredItem], policy: ScoringPolicy = DEFAULT_POLICY) -> Score:
    numerator = denominator = Decimal(0)
    answered = aligned = misaligned = na = unanswered = 0
    for item in items:
        if item.answer is None:
            unanswered += 1
            continue
        if not item.is_applicable_answer:
            na += 1
            continue
        answered += 1
        aligned += item.is_aligned
        misaligned += not item.is_aligned
        weight = policy.weights[item.priority]
        numerator += weight * policy.factor(item)
        denominator += weight
    value = None
    if denominator:
        value = (Decimal(100) * numerator / denominator).quantize(HUNDREDTH, ROUND_HALF_UP)
    return Score(value, answered, aligned, misaligned, na, unanswered)


def score_by_category(items: Iterable[ScoredItem],
                      policy: ScoringPolicy = DEFAULT_POLICY) -> dict[str, Score]:
    grouped: dict[str, list[ScoredItem]] = defaultdict(list)
    for item in items:
        grouped[item.category].append(item)
    return {category: score(group, policy) for category, group in sorted(grouped.items())}
