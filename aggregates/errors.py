"""Named domain errors. Each names the offending field and the reason, so the API can say both."""


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    status = "rejected"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFoundError(DomainError):
    status = "not_found"


class ConflictError(DomainError):
    """The aggregate moved on since the caller read it (or a rule of sequence was broken)."""

    status = "conflict"


class AnswerToUnpublishedStandardError(DomainError):
    pass


class ReviewAlreadyCompletedError(ConflictError):
    pass


class ReviewAlreadyOpenError(ConflictError):
    pass


class ReviewAlreadySubmittedError(ConflictError):
    """The review is with the vCIO: only items sent back may be answered again."""


class ReviewNotSubmittedError(ConflictError):
    """The step belongs to the vCIO's stage, which starts when the TAM submits."""


class ReviewCoversNoStandardError(DomainError):
    """A review whose scope holds no published standard cannot be started or submitted."""


class UnansweredStandardsError(DomainError):
    """Submitting with standards unanswered needs the TAM's explicit confirmation."""


class UnratedAnswersError(DomainError):
    """Finalising with misaligned answers unrated needs the vCIO's explicit choice."""


class ItemsSentBackError(ConflictError):
    """Items sent back to the TAM must be answered again before the review is finalised."""


class RatingOnAlignedAnswerError(DomainError):
    pass


class AnswerNotRecordedError(DomainError):
    pass


class StandardOutOfReviewScopeError(DomainError):
    pass


class StandardNotDraftError(ConflictError):
    pass


class StandardRetiredError(ConflictError):
    pass


class NothingToReviseError(DomainError):
    pass


class UnknownDecisionMakerError(DomainError):
    pass


class InvalidValueError(DomainError):
    pass


class PersonAlreadyErasedError(ConflictError):
    """An erasure asked for twice: the key is gone already, nothing more to do."""


class DuplicateIdError(ConflictError):
    pass


class FindingNotMisalignedError(DomainError):
    pass


class RecommendationAlreadyDecidedError(ConflictError):
    pass


class RecommendationNotApprovedError(ConflictError):
    pass


class RecommendationAlreadyStartedError(ConflictError):
    pass


class RecommendationNotStartedError(ConflictError):
    pass


class RecommendationAlreadyCompletedError(ConflictError):
    pass


class MeetingCancelledError(ConflictError):
    pass


class MeetingAlreadyHeldError(ConflictError):
    pass


class ActionItemAlreadyCompletedError(ConflictError):
    pass


class MeetingPlanAlreadyScheduledError(ConflictError):
    """One meeting plan per client (or committee) per year: a second one is refused."""


class NoCadenceOverrideError(ConflictError):
    pass


class NoticeAlreadyGivenError(ConflictError):
    """A scheduler notice (area due or overdue, action item overdue) is given once."""


class ClientOffboardedError(ConflictError):
    """The client has been offboarded: it takes no new plans and cannot be offboarded twice."""


class ClientNotOffboardedError(ConflictError):
    """Only an offboarded client can be re-onboarded."""
