"""Closed vocabularies used by events: answers, priorities, ratings and frequencies."""

from enum import Enum


class Answer(Enum):
    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


class ExpectedAnswer(Enum):
    YES = "yes"
    NO = "no"


class Priority(Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ReviewFrequency(Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}[self.value]


class Rating(Enum):
    """The vCIO's judgement of a misaligned answer (a yes/expected answer is simply aligned)."""

    MARGINAL = "marginal"
    HIGHLY_VULNERABLE = "highly_vulnerable"


class StandardStatus(Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


ALL_ENUMS: tuple[type[Enum], ...] = (
    Answer,
    ExpectedAnswer,
    Priority,
    ReviewFrequency,
    Rating,
    StandardStatus,
)
