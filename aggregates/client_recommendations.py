"""The ``Client`` aggregate's recommendations: proposed from findings, decided, then carried out.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). A recommendation's findings must be
misaligned answers of the client's latest submitted (or finalised) review, and only a current
decision maker of the client can approve or decline it.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_state import ClientState
from aggregates.errors import (
    DuplicateIdError,
    FindingNotMisalignedError,
    InvalidValueError,
    NotFoundError,
)
from aggregates.strategy_state import RecommendationState, check_not_negative, check_quarter_start
from events import recommendations as rec
from events.vocabulary import Priority, RecommendationStatus


def recommendation(self: ClientState, recommendation_id: UUID) -> RecommendationState:
    try:
        return self.recommendations[recommendation_id]
    except KeyError:
        raise NotFoundError("recommendation_id", "no such recommendation") from None


def check_findings_are_misaligned(self: ClientState, standard_ids: list[UUID]) -> UUID | None:
    """The latest submitted review, if every finding is a misaligned answer in it: the vCIO
    drafts recommendations as soon as the TAM hands the review over."""
    if not standard_ids:
        return None
    review = self.latest_submitted_review
    if review is None:
        raise FindingNotMisalignedError("finding_standard_ids", "the client has no submitted or"
                                        " completed review to take findings from")
    for standard_id in standard_ids:
        answer = review.answers.get(standard_id)
        if answer is None or not answer.is_misaligned:
            raise FindingNotMisalignedError(
                "finding_standard_ids",
                f"standard {standard_id} is not misaligned in the latest submitted review")
    return review.review_id


def propose_recommendation(
    self: ClientState, *, recommendation_id: UUID, title: str, business_impact: str,
    finding_standard_ids: list[UUID], one_time_budget: Decimal,
    recurring_monthly_budget: Decimal, estimated_hours: Decimal,
    target_quarter_start: date | None, priority: Priority, owner: str, capital_expense: bool,
    by: str,
) -> None:
    if recommendation_id in self.recommendations:
        raise DuplicateIdError("recommendation_id", "a recommendation with this id exists")
    findings = list(dict.fromkeys(finding_standard_ids))
    source_review_id = self.check_findings_are_misaligned(findings)
    check_not_negative(one_time_budget=one_time_budget, estimated_hours=estimated_hours,
                       recurring_monthly_budget=recurring_monthly_budget)
    check_quarter_start(target_quarter_start, fiscal_month_for(self, target_quarter_start))
    self._recommendation_proposed(
        recommendation_id=recommendation_id, title=title, business_impact=business_impact,
        source_review_id=source_review_id, finding_standard_ids=findings,
        one_time_budget=Decimal(one_time_budget), estimated_hours=Decimal(estimated_hours),
        recurring_monthly_budget=Decimal(recurring_monthly_budget),
        target_quarter_start=target_quarter_start, priority=Priority(priority), owner=owner,
        capital_expense=capital_expense, by=by,
    )


@event(rec.RecommendationProposed)
def _recommendation_proposed(
    self: ClientState, recommendation_id: UUID, title: str, business_impact: str,
    source_review_id: UUID | None, finding_standard_ids: list[UUID], one_time_budget: Decimal,
    recurring_monthly_budget: Decimal, estimated_hours: Decimal,
    target_quarter_start: date | None, priority: Priority, owner: str, capital_expense: bool,
    by: str,
) -> None:
    self.recommendations[recommendation_id] = RecommendationState(
        recommendation_id, tuple(finding_standard_ids), target_quarter_start)


def present_recommendation(self: ClientState, *, recommendation_id: UUID, meeting_id: UUID | None,
                           by: str) -> None:
    self.recommendation(recommendation_id).check_is_undecided()
    if meeting_id is not None:
        self.meeting(meeting_id).check_is_not_cancelled()
    self._recommendation_presented(recommendation_id=recommendation_id, meeting_id=meeting_id,
                                   by=by)


@event(rec.RecommendationPresented)
def _recommendation_presented(self: ClientState, recommendation_id: UUID, meeting_id: UUID | None,
                              by: str) -> None:
    self.recommendations[recommendation_id].status = RecommendationStatus.PRESENTED


def approve_recommendation(self: ClientState, *, recommendation_id: UUID, decision_maker_id: UUID,
                           approved_at: datetime, by: str) -> None:
    self.recommendation(recommendation_id).check_is_undecided()
    self.check_is_decision_maker(decision_maker_id)
    self._recommendation_approved(recommendation_id=recommendation_id,
                                  decision_maker_id=decision_maker_id, approved_at=approved_at,
                                  by=by)


@event(rec.RecommendationApproved)
def _recommendation_approved(self: ClientState, recommendation_id: UUID, decision_maker_id: UUID,
                             approved_at: datetime, by: str) -> None:
    self.recommendations[recommendation_id].status = RecommendationStatus.APPROVED
    self.recommendations[recommendation_id].decision_maker_id = decision_maker_id


def decline_recommendation(self: ClientState, *, recommendation_id: UUID, decision_maker_id: UUID,
                           reason: str, by: str) -> None:
    self.recommendation(recommendation_id).check_is_undecided()
    self.check_is_decision_maker(decision_maker_id)
    self._recommendation_declined(recommendation_id=recommendation_id,
                                  decision_maker_id=decision_maker_id, reason=reason, by=by)


@event(rec.RecommendationDeclined)
def _recommendation_declined(self: ClientState, recommendation_id: UUID, decision_maker_id: UUID,
                             reason: str, by: str) -> None:
    self.recommendations[recommendation_id].status = RecommendationStatus.DECLINED
    self.recommendations[recommendation_id].decision_maker_id = decision_maker_id


def fiscal_month_for(self: ClientState, quarter_start: date | None) -> int:
    """The fiscal year start in force when the target quarter starts (a change dated later
    does not move quarters before it)."""
    return self.profile_on(quarter_start or date.min).fiscal_year_start_month


def reschedule_recommendation(self: ClientState, *, recommendation_id: UUID,
                              target_quarter_start: date | None, reason: str, by: str) -> None:
    recommendation = self.recommendation(recommendation_id)
    recommendation.check_is_not_completed()
    check_quarter_start(target_quarter_start, fiscal_month_for(self, target_quarter_start))
    if recommendation.target_quarter_start == target_quarter_start:
        raise InvalidValueError("target_quarter_start", "is already the target quarter")
    self._recommendation_rescheduled(recommendation_id=recommendation_id,
                                     target_quarter_start=target_quarter_start, reason=reason,
                                     by=by)


@event(rec.RecommendationRescheduled)
def _recommendation_rescheduled(self: ClientState, recommendation_id: UUID,
                                target_quarter_start: date | None, reason: str, by: str) -> None:
    self.recommendations[recommendation_id].target_quarter_start = target_quarter_start


def start_recommendation(self: ClientState, *, recommendation_id: UUID, started_at: datetime,
                         by: str) -> None:
    self.recommendation(recommendation_id).check_can_start()
    self._recommendation_started(recommendation_id=recommendation_id, started_at=started_at,
                                 by=by)


@event(rec.RecommendationStarted)
def _recommendation_started(self: ClientState, recommendation_id: UUID, started_at: datetime,
                            by: str) -> None:
    self.recommendations[recommendation_id].status = RecommendationStatus.IN_PROGRESS


def complete_recommendation(self: ClientState, *, recommendation_id: UUID, completed_at: datetime,
                            by: str) -> None:
    self.recommendation(recommendation_id).check_can_complete()
    self._recommendation_completed(recommendation_id=recommendation_id,
                                   completed_at=completed_at, by=by)


@event(rec.RecommendationCompleted)
def _recommendation_completed(self: ClientState, recommendation_id: UUID, completed_at: datetime,
                              by: str) -> None:
    self.recommendations[recommendation_id].status = RecommendationStatus.COMPLETED
