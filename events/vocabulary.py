"""Closed vocabularies used by events: answers, priorities, ratings, frequencies, meeting and
touch kinds, and the lifecycle statuses of recommendations, meetings and action items."""

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


class MeetingKind(Enum):
    STRATEGY_MEETING = "strategy_meeting"
    TECHNOLOGY_BUSINESS_REVIEW = "technology_business_review"
    STANDARDS_COMMITTEE = "standards_committee"
    OTHER = "other"


class TouchKind(Enum):
    CALL = "call"
    EMAIL = "email"
    WEB_MEETING = "web_meeting"
    VISIT = "visit"


class RecommendationStatus(Enum):
    """Where a recommendation stands; derived from its events, never stored in one."""

    PROPOSED = "proposed"
    PRESENTED = "presented"
    APPROVED = "approved"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class MeetingStatus(Enum):
    """Where a meeting stands; derived from its events (rescheduled is still planned)."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class SuggestionKind(Enum):
    """What a suggestion to the standards committee asks for."""

    NEW_STANDARD = "new_standard"
    CHANGE = "change"


ALL_ENUMS: tuple[type[Enum], ...] = (
    Answer,
    ExpectedAnswer,
    Priority,
    ReviewFrequency,
    Rating,
    StandardStatus,
    MeetingKind,
    TouchKind,
    SuggestionKind,
)
