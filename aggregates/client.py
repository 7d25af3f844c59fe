"""The ``Client`` aggregate: one MSP client, its decision makers, its alignment reviews and its
strategy work (recommendations, meetings, action items, touches, feedback).

Reviews live inside the client because their rules (one open review at a time, the previous
answer, answering only an open review) are rules about the client's own history. Strategy work
lives here too: approval needs the client's current decision makers, and a recommendation's
findings must be misaligned answers of the client's latest completed review.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.cadence_state import (
    CadenceOverride,
    MeetingPreference,
    PlannedMeeting,
    check_cadence,
    check_plan,
    check_preference,
    check_reason,
)
from aggregates.errors import (
    AnswerNotRecordedError,
    AnswerToUnpublishedStandardError,
    DuplicateIdError,
    FindingNotMisalignedError,
    InvalidValueError,
    MeetingPlanAlreadyScheduledError,
    NoCadenceOverrideError,
    NotFoundError,
    NoticeAlreadyGivenError,
    RatingOnAlignedAnswerError,
    ReviewAlreadyCompletedError,
    ReviewAlreadyOpenError,
    StandardOutOfReviewScopeError,
    UnknownDecisionMakerError,
)
from aggregates.review_state import AnswerState, ReviewState, StandardFacts
from aggregates.strategy_state import (
    ActionItemState,
    MeetingState,
    RecommendationState,
    check_not_negative,
    check_quarter_start,
)
from aggregates.tenanted import TenantAggregate
from events import cadence as cad
from events import clients as cev
from events import meetings as mev
from events import recommendations as rec
from events import reviews as rev
from events import touches as tev
from events.vocabulary import (
    Answer,
    ExpectedAnswer,
    MeetingKind,
    MeetingStatus,
    Priority,
    Rating,
    RecommendationStatus,
    TouchKind,
)

PROFILE_FIELDS = ("name", "mrr", "user_count", "complexity", "industry",
                  "fiscal_year_start_month", "vcio", "tam")


def check_profile_value(name: str, value: Any) -> Any:
    """Validate one profile field, returning its JSON-plain form."""
    if name not in PROFILE_FIELDS:
        raise InvalidValueError(name, "is not a profile field of a client")
    if name == "mrr":
        amount = Decimal(str(value))
        if amount < 0:
            raise InvalidValueError("mrr", "must not be negative")
        return str(amount)
    if name == "complexity" and not 1 <= int(value) <= 10:
        raise InvalidValueError("complexity", "must be between 1 and 10")
    if name == "fiscal_year_start_month" and not 1 <= int(value) <= 12:
        raise InvalidValueError("fiscal_year_start_month", "must be a month number 1-12")
    if name == "user_count" and int(value) < 0:
        raise InvalidValueError("user_count", "must not be negative")
    if name in ("complexity", "fiscal_year_start_month", "user_count"):
        return int(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(name, "must be non-empty text")
    return value


class Client(TenantAggregate):
    """An MSP client, the decision makers who approve its spending, and its reviews."""

    ClientOnboarded = cev.ClientOnboarded
    ClientProfileChanged = cev.ClientProfileChanged
    DecisionMakerAdded = cev.DecisionMakerAdded
    DecisionMakerRemoved = cev.DecisionMakerRemoved
    ReviewStarted = rev.ReviewStarted
    AnswerRecorded = rev.AnswerRecorded
    AnswerRated = rev.AnswerRated
    ReviewCompleted = rev.ReviewCompleted
    RecommendationProposed = rec.RecommendationProposed
    RecommendationPresented = rec.RecommendationPresented
    RecommendationApproved = rec.RecommendationApproved
    RecommendationDeclined = rec.RecommendationDeclined
    RecommendationRescheduled = rec.RecommendationRescheduled
    RecommendationStarted = rec.RecommendationStarted
    RecommendationCompleted = rec.RecommendationCompleted
    MeetingScheduled = mev.MeetingScheduled
    MeetingAgendaSet = mev.MeetingAgendaSet
    MeetingHeld = mev.MeetingHeld
    MeetingRescheduled = mev.MeetingRescheduled
    MeetingCancelled = mev.MeetingCancelled
    ActionItemAdded = mev.ActionItemAdded
    ActionItemUpdated = mev.ActionItemUpdated
    ActionItemCompleted = mev.ActionItemCompleted
    TouchLogged = tev.TouchLogged
    ClientFeedbackRecorded = tev.ClientFeedbackRecorded

    @event(ClientOnboarded)
    def __init__(
        self,
        *,
        tenant: str,
        name: str,
        mrr: Decimal,
        user_count: int,
        complexity: int,
        industry: str,
        fiscal_year_start_month: int,
        vcio: str,
        tam: str,
        by: str,
    ) -> None:
        self.tenant = tenant
        self.name = name
        self.mrr = Decimal(mrr)
        self.user_count = user_count
        self.complexity = complexity
        self.industry = industry
        self.fiscal_year_start_month = fiscal_year_start_month
        self.vcio = vcio
        self.tam = tam
        self.decision_makers: set[UUID] = set()
        self.reviews: dict[UUID, ReviewState] = {}
        self.review_order: list[UUID] = []
        self.recommendations: dict[UUID, RecommendationState] = {}
        self.meetings: dict[UUID, MeetingState] = {}
        self.action_items: dict[UUID, ActionItemState] = {}

    # --- profile and decision makers -------------------------------------------------------

    def change_profile(self, *, changes: dict[str, Any], by: str) -> None:
        plain = {name: check_profile_value(name, value) for name, value in changes.items()}
        differing = {k: v for k, v in plain.items() if str(getattr(self, k)) != str(v)}
        if not differing:
            raise InvalidValueError("changes", "no profile field differs from the current profile")
        self._profile_changed(changes=differing, by=by)

    @event(ClientProfileChanged)
    def _profile_changed(self, changes: dict[str, Any], by: str) -> None:
        for name, value in changes.items():
            setattr(self, name, Decimal(value) if name == "mrr" else value)

    @event(DecisionMakerAdded)
    def add_decision_maker(
        self, *, decision_maker_id: UUID, title: str, sealed_name: str, sealed_email: str,
        sealed_phone: str, by: str,
    ) -> None:
        self.decision_makers.add(decision_maker_id)

    def check_is_decision_maker(self, decision_maker_id: UUID, field: str = "decision_maker_id") -> None:
        if decision_maker_id not in self.decision_makers:
            raise UnknownDecisionMakerError(field, "is not a current decision maker of this client")

    def remove_decision_maker(self, *, decision_maker_id: UUID, reason: str, by: str) -> None:
        self.check_is_decision_maker(decision_maker_id)
        self._decision_maker_removed(decision_maker_id=decision_maker_id, reason=reason, by=by)

    @event(DecisionMakerRemoved)
    def _decision_maker_removed(self, decision_maker_id: UUID, reason: str, by: str) -> None:
        self.decision_makers.discard(decision_maker_id)

    # --- reviews ---------------------------------------------------------------------------

    @property
    def open_review(self) -> ReviewState | None:
        if self.review_order and not self.reviews[self.review_order[-1]].is_completed:
            return self.reviews[self.review_order[-1]]
        return None

    def review(self, review_id: UUID) -> ReviewState:
        try:
            return self.reviews[review_id]
        except KeyError:
            raise NotFoundError("review_id", "no such review for this client") from None

    def check_review_is_open(self, review: ReviewState) -> None:
        if review.is_completed:
            raise ReviewAlreadyCompletedError("review_id", "the review is already completed")

    def start_review(self, *, review_id: UUID, categories: list[str], started_at: datetime, by: str) -> None:
        if self.open_review is not None:
            raise ReviewAlreadyOpenError("review_id", f"review {self.open_review.review_id} is still open")
        self._review_started(review_id=review_id, categories=sorted(set(categories)), started_at=started_at, by=by)

    @event(ReviewStarted)
    def _review_started(self, review_id: UUID, categories: list[str], started_at: datetime, by: str) -> None:
        self.reviews[review_id] = ReviewState(review_id, tuple(categories), started_at)
        self.review_order.append(review_id)

    def record_answer(
        self, *, review_id: UUID, standard: StandardFacts, answer: Answer, note: str,
        observed_at: datetime, by: str,
    ) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        if not standard.is_answerable:
            raise AnswerToUnpublishedStandardError("standard_id", f"standard is {standard.status}; only published standards can be answered")
        if not review.covers(standard.category):
            raise StandardOutOfReviewScopeError("standard_id", f"category {standard.category!r} is not in this review")
        self._answer_recorded(
            review_id=review_id, standard_id=standard.standard_id, standard_revision=standard.revision,
            expected_answer=standard.expected_answer, answer=Answer(answer), note=note,
            observed_at=observed_at, by=by,
        )

    @event(AnswerRecorded)
    def _answer_recorded(
        self, review_id: UUID, standard_id: UUID, standard_revision: int,
        expected_answer: ExpectedAnswer, answer: Answer, note: str, observed_at: datetime, by: str,
    ) -> None:
        self.reviews[review_id].answers[standard_id] = AnswerState(answer, standard_revision, expected_answer)

    def rate_answer(self, *, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        recorded = review.answers.get(standard_id)
        if recorded is None:
            raise AnswerNotRecordedError("standard_id", "no answer recorded for this standard in this review")
        if not recorded.is_misaligned:
            raise RatingOnAlignedAnswerError("rating", "only a misaligned answer can be rated")
        self._answer_rated(review_id=review_id, standard_id=standard_id, rating=Rating(rating), by=by)

    @event(AnswerRated)
    def _answer_rated(self, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None:
        self.reviews[review_id].answers[standard_id].rating = rating

    def complete_review(self, *, review_id: UUID, completed_at: datetime, by: str) -> None:
        review = self.review(review_id)
        self.check_review_is_open(review)
        self._review_completed(review_id=review_id, completed_at=completed_at, by=by)

    @event(ReviewCompleted)
    def _review_completed(self, review_id: UUID, completed_at: datetime, by: str) -> None:
        self.reviews[review_id].completed_at = completed_at

    def previous_answer(self, standard_id: UUID) -> AnswerState | None:
        """The answer in the last completed review, as the reviewer must see it."""
        for review_id in reversed(self.review_order):
            review = self.reviews[review_id]
            if review.is_completed and standard_id in review.answers:
                return review.answers[standard_id]
        return None

    @property
    def latest_completed_review(self) -> ReviewState | None:
        for review_id in reversed(self.review_order):
            if self.reviews[review_id].is_completed:
                return self.reviews[review_id]
        return None

    # --- recommendations -------------------------------------------------------------------

    def recommendation(self, recommendation_id: UUID) -> RecommendationState:
        try:
            return self.recommendations[recommendation_id]
        except KeyError:
            raise NotFoundError("recommendation_id", "no such recommendation") from None

    def check_findings_are_misaligned(self, standard_ids: list[UUID]) -> UUID | None:
        """The latest completed review, if every finding is a misaligned answer in it."""
        if not standard_ids:
            return None
        review = self.latest_completed_review
        if review is None:
            raise FindingNotMisalignedError("finding_standard_ids", "the client has no completed"
                                            " review to take findings from")
        for standard_id in standard_ids:
            answer = review.answers.get(standard_id)
            if answer is None or not answer.is_misaligned:
                raise FindingNotMisalignedError(
                    "finding_standard_ids",
                    f"standard {standard_id} is not misaligned in the latest completed review")
        return review.review_id

    def propose_recommendation(
        self, *, recommendation_id: UUID, title: str, business_impact: str,
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
        check_quarter_start(target_quarter_start, self.fiscal_year_start_month)
        self._recommendation_proposed(
            recommendation_id=recommendation_id, title=title, business_impact=business_impact,
            source_review_id=source_review_id, finding_standard_ids=findings,
            one_time_budget=Decimal(one_time_budget), estimated_hours=Decimal(estimated_hours),
            recurring_monthly_budget=Decimal(recurring_monthly_budget),
            target_quarter_start=target_quarter_start, priority=Priority(priority), owner=owner,
            capital_expense=capital_expense, by=by,
        )

    @event(RecommendationProposed)
    def _recommendation_proposed(
        self, recommendation_id: UUID, title: str, business_impact: str,
        source_review_id: UUID | None, finding_standard_ids: list[UUID], one_time_budget: Decimal,
        recurring_monthly_budget: Decimal, estimated_hours: Decimal,
        target_quarter_start: date | None, priority: Priority, owner: str, capital_expense: bool,
        by: str,
    ) -> None:
        self.recommendations[recommendation_id] = RecommendationState(
            recommendation_id, tuple(finding_standard_ids), target_quarter_start)

    def present_recommendation(self, *, recommendation_id: UUID, meeting_id: UUID | None,
                               by: str) -> None:
        self.recommendation(recommendation_id).check_is_undecided()
        if meeting_id is not None:
            self.meeting(meeting_id).check_is_not_cancelled()
        self._recommendation_presented(recommendation_id=recommendation_id, meeting_id=meeting_id,
                                       by=by)

    @event(RecommendationPresented)
    def _recommendation_presented(self, recommendation_id: UUID, meeting_id: UUID | None,
                                  by: str) -> None:
        self.recommendations[recommendation_id].status = RecommendationStatus.PRESENTED

    def approve_recommendation(self, *, recommendation_id: UUID, decision_maker_id: UUID,
                               approved_at: datetime, by: str) -> None:
        self.recommendation(recommendation_id).check_is_undecided()
        self.check_is_decision_maker(decision_maker_id)
        self._recommendation_approved(recommendation_id=recommendation_id,
                                      decision_maker_id=decision_maker_id, approved_at=approved_at,
                                      by=by)

    @event(RecommendationApproved)
    def _recommendation_approved(self, recommendation_id: UUID, decision_maker_id: UUID,
                                 approved_at: datetime, by: str) -> None:
        self.recommendations[recommendation_id].status = RecommendationStatus.APPROVED
        self.recommendations[recommendation_id].decision_maker_id = decision_maker_id

    def decline_recommendation(self, *, recommendation_id: UUID, decision_maker_id: UUID,
                               reason: str, by: str) -> None:
        self.recommendation(recommendation_id).check_is_undecided()
        self.check_is_decision_maker(decision_maker_id)
        self._recommendation_declined(recommendation_id=recommendation_id,
                                      decision_maker_id=decision_maker_id, reason=reason, by=by)

    @event(RecommendationDeclined)
    def _recommendation_declined(self, recommendation_id: UUID, decision_maker_id: UUID,
                                 reason: str, by: str) -> None:
        self.recommendations[recommendation_id].status = RecommendationStatus.DECLINED
        self.recommendations[recommendation_id].decision_maker_id = decision_maker_id

    def reschedule_recommendation(self, *, recommendation_id: UUID,
                                  target_quarter_start: date | None, reason: str, by: str) -> None:
        recommendation = self.recommendation(recommendation_id)
        recommendation.check_is_not_completed()
        check_quarter_start(target_quarter_start, self.fiscal_year_start_month)
        if recommendation.target_quarter_start == target_quarter_start:
            raise InvalidValueError("target_quarter_start", "is already the target quarter")
        self._recommendation_rescheduled(recommendation_id=recommendation_id,
                                         target_quarter_start=target_quarter_start, reason=reason,
                                         by=by)

    @event(RecommendationRescheduled)
    def _recommendation_rescheduled(self, recommendation_id: UUID,
                                    target_quarter_start: date | None, reason: str,
                                    by: str) -> None:
        self.recommendations[recommendation_id].target_quarter_start = target_quarter_start

    def start_recommendation(self, *, recommendation_id: UUID, started_at: datetime,
                             by: str) -> None:
        self.recommendation(recommendation_id).check_can_start()
        self._recommendation_started(recommendation_id=recommendation_id, started_at=started_at,
                                     by=by)

    @event(RecommendationStarted)
    def _recommendation_started(self, recommendation_id: UUID, started_at: datetime,
                                by: str) -> None:
        self.recommendations[recommendation_id].status = RecommendationStatus.IN_PROGRESS

    def complete_recommendation(self, *, recommendation_id: UUID, completed_at: datetime,
                                by: str) -> None:
        self.recommendation(recommendation_id).check_can_complete()
        self._recommendation_completed(recommendation_id=recommendation_id,
                                       completed_at=completed_at, by=by)

    @event(RecommendationCompleted)
    def _recommendation_completed(self, recommendation_id: UUID, completed_at: datetime,
                                  by: str) -> None:
        self.recommendations[recommendation_id].status = RecommendationStatus.COMPLETED

    # --- meetings and action items ---------------------------------------------------------

    def meeting(self, meeting_id: UUID) -> MeetingState:
        try:
            return self.meetings[meeting_id]
        except KeyError:
            raise NotFoundError("meeting_id", "no such meeting for this client") from None

    def schedule_meeting(self, *, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                         attendees: list[str], by: str) -> None:
        if meeting_id in self.meetings:
            raise DuplicateIdError("meeting_id", "a meeting with this id exists")
        self._meeting_scheduled(meeting_id=meeting_id, kind=MeetingKind(kind),
                                scheduled_for=scheduled_for, attendees=list(attendees), by=by)

    @event(MeetingScheduled)
    def _meeting_scheduled(self, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                           attendees: list[str], by: str) -> None:
        self.meetings[meeting_id] = MeetingState(meeting_id, kind, scheduled_for)

    def set_meeting_agenda(self, *, meeting_id: UUID, agenda: list[str], by: str) -> None:
        self.meeting(meeting_id).check_is_planned()
        self._meeting_agenda_set(meeting_id=meeting_id, agenda=list(agenda), by=by)

    @event(MeetingAgendaSet)
    def _meeting_agenda_set(self, meeting_id: UUID, agenda: list[str], by: str) -> None:
        pass

    def hold_meeting(self, *, meeting_id: UUID, held_at: datetime, summary: str, by: str) -> None:
        self.meeting(meeting_id).check_is_planned()
        self._meeting_held(meeting_id=meeting_id, held_at=held_at, summary=summary, by=by)

    @event(MeetingHeld)
    def _meeting_held(self, meeting_id: UUID, held_at: datetime, summary: str, by: str) -> None:
        self.meetings[meeting_id].status = MeetingStatus.HELD

    def reschedule_meeting(self, *, meeting_id: UUID, scheduled_for: datetime, reason: str,
                           by: str) -> None:
        meeting = self.meeting(meeting_id)
        meeting.check_is_planned()
        if meeting.scheduled_for == scheduled_for:
            raise InvalidValueError("scheduled_for", "is already the meeting's time")
        self._meeting_rescheduled(meeting_id=meeting_id, scheduled_for=scheduled_for,
                                  reason=reason, by=by)

    @event(MeetingRescheduled)
    def _meeting_rescheduled(self, meeting_id: UUID, scheduled_for: datetime, reason: str,
                             by: str) -> None:
        self.meetings[meeting_id].scheduled_for = scheduled_for

    def cancel_meeting(self, *, meeting_id: UUID, reason: str, by: str) -> None:
        self.meeting(meeting_id).check_is_planned()
        self._meeting_cancelled(meeting_id=meeting_id, reason=reason, by=by)

    @event(MeetingCancelled)
    def _meeting_cancelled(self, meeting_id: UUID, reason: str, by: str) -> None:
        self.meetings[meeting_id].status = MeetingStatus.CANCELLED

    def action_item(self, action_item_id: UUID) -> ActionItemState:
        try:
            return self.action_items[action_item_id]
        except KeyError:
            raise NotFoundError("action_item_id", "no such action item for this client") from None

    def add_action_item(self, *, action_item_id: UUID, meeting_id: UUID | None, title: str,
                        owner: str, next_step: str, follow_up_on: date, by: str) -> None:
        if action_item_id in self.action_items:
            raise DuplicateIdError("action_item_id", "an action item with this id exists")
        if meeting_id is not None:
            self.meeting(meeting_id).check_is_not_cancelled()
        self._action_item_added(action_item_id=action_item_id, meeting_id=meeting_id, title=title,
                                owner=owner, next_step=next_step, follow_up_on=follow_up_on, by=by)

    @event(ActionItemAdded)
    def _action_item_added(self, action_item_id: UUID, meeting_id: UUID | None, title: str,
                           owner: str, next_step: str, follow_up_on: date, by: str) -> None:
        self.action_items[action_item_id] = ActionItemState(
            action_item_id, meeting_id, title, owner, next_step, follow_up_on)

    def update_action_item(self, *, action_item_id: UUID, changes: dict[str, Any], by: str) -> None:
        item = self.action_item(action_item_id)
        item.check_is_open()
        self._action_item_updated(action_item_id=action_item_id,
                                  changes=item.plain_changes(changes), by=by)

    @event(ActionItemUpdated)
    def _action_item_updated(self, action_item_id: UUID, changes: dict[str, Any], by: str) -> None:
        self.action_items[action_item_id].apply(changes)

    def complete_action_item(self, *, action_item_id: UUID, resolution: str,
                             completed_at: datetime, by: str) -> None:
        self.action_item(action_item_id).check_is_open()
        self._action_item_completed(action_item_id=action_item_id, resolution=resolution,
                                    completed_at=completed_at, by=by)

    @event(ActionItemCompleted)
    def _action_item_completed(self, action_item_id: UUID, resolution: str,
                               completed_at: datetime, by: str) -> None:
        self.action_items[action_item_id].completed_at = completed_at

    # --- touches and feedback --------------------------------------------------------------

    def log_touch(self, *, touch_id: UUID, kind: TouchKind, decision_maker_id: UUID | None,
                  contact_role: str, happened_at: datetime, note: str, by: str) -> None:
        """A touch with a decision maker counts toward cadence; one with anyone else (named
        only by ``contact_role``) is recorded but does not."""
        if decision_maker_id is not None:
            self.check_is_decision_maker(decision_maker_id)
        elif not contact_role.strip():
            raise InvalidValueError("contact_role", "give the role of a contact who is not a"
                                    " decision maker")
        self._touch_logged(
            touch_id=touch_id, kind=TouchKind(kind), decision_maker_id=decision_maker_id,
            contact_role=contact_role, counts_toward_cadence=decision_maker_id is not None,
            happened_at=happened_at, note=note, by=by)

    @event(TouchLogged)
    def _touch_logged(self, touch_id: UUID, kind: TouchKind, decision_maker_id: UUID | None,
                      contact_role: str, counts_toward_cadence: bool, happened_at: datetime,
                      note: str, by: str) -> None:
        pass

    def record_feedback(self, *, feedback_id: UUID, accepted_recommendation_ids: list[UUID],
                        declined_reasons: dict[UUID, str], changes_requested: str,
                        new_initiatives: list[str], recorded_at: datetime, by: str) -> None:
        """The client's word on recommendations; it informs, it does not approve (only a
        decision maker's approval does)."""
        for recommendation_id in (*accepted_recommendation_ids, *declined_reasons):
            self.recommendation(recommendation_id)
        if set(accepted_recommendation_ids) & set(declined_reasons):
            raise InvalidValueError("declined_reasons", "a recommendation cannot be both accepted"
                                    " and declined")
        self._feedback_recorded(
            feedback_id=feedback_id,
            accepted_recommendation_ids=list(dict.fromkeys(accepted_recommendation_ids)),
            declined_reasons={str(k): v for k, v in declined_reasons.items()},
            changes_requested=changes_requested, new_initiatives=list(new_initiatives),
            recorded_at=recorded_at, by=by)

    @event(ClientFeedbackRecorded)
    def _feedback_recorded(self, feedback_id: UUID, accepted_recommendation_ids: list[UUID],
                           declined_reasons: dict[str, str], changes_requested: str,
                           new_initiatives: list[str], recorded_at: datetime, by: str) -> None:
        pass

    # --- cadence and the annual plan ---------------------------------------------------------
    # State added after the first release defaults at class level (immutable values only), so
    # clients whose history predates these events load unchanged.

    MeetingPlanScheduled = cad.MeetingPlanScheduled
    ClientCadenceOverridden = cad.ClientCadenceOverridden
    ClientCadenceOverrideCleared = cad.ClientCadenceOverrideCleared
    MeetingPreferenceSet = cad.MeetingPreferenceSet
    ReviewAreaFallingDue = cad.ReviewAreaFallingDue
    ReviewAreaOverdue = cad.ReviewAreaOverdue
    ActionItemFellOverdue = cad.ActionItemFellOverdue

    cadence_override: CadenceOverride | None = None
    meeting_preference: MeetingPreference | None = None
    planned_years: frozenset[int] = frozenset()
    notices_given: frozenset[str] = frozenset()

    def has_meeting_plan(self, year: int) -> bool:
        return year in self.planned_years

    def check_no_meeting_plan_for(self, year: int) -> None:
        if self.has_meeting_plan(year):
            raise MeetingPlanAlreadyScheduledError("year", f"the client already has a meeting plan"
                                                   f" for {year}")

    def schedule_meeting_plan(
        self, *, year: int, period_start: date, meetings: list[PlannedMeeting],
        meetings_per_year: int, touches_per_month: int, cadence_source: str,
        planned_as_of: datetime, by: str,
    ) -> None:
        """Record the year's plan, then schedule each of its meetings (one save, all or none)."""
        self.check_no_meeting_plan_for(year)
        check_cadence(meetings_per_year, touches_per_month)
        check_plan(year, period_start, meetings)
        for meeting in meetings:
            if meeting.meeting_id in self.meetings:
                raise DuplicateIdError("meetings", f"meeting {meeting.meeting_id} exists")
        self._meeting_plan_scheduled(
            year=year, period_start=period_start, meetings=[m.to_record() for m in meetings],
            meetings_per_year=meetings_per_year, touches_per_month=touches_per_month,
            cadence_source=cadence_source, planned_as_of=planned_as_of, by=by)
        for meeting in meetings:
            self.schedule_meeting(meeting_id=meeting.meeting_id, kind=meeting.kind,
                                  scheduled_for=meeting.scheduled_for, attendees=[self.vcio], by=by)

    @event(MeetingPlanScheduled)
    def _meeting_plan_scheduled(
        self, year: int, period_start: date, meetings: list[dict[str, Any]],
        meetings_per_year: int, touches_per_month: int, cadence_source: str,
        planned_as_of: datetime, by: str,
    ) -> None:
        self.planned_years = self.planned_years | {year}

    def override_cadence(self, *, meetings_per_year: int, touches_per_month: int, reason: str,
                         by: str) -> None:
        check_cadence(meetings_per_year, touches_per_month)
        check_reason(reason)
        current = self.cadence_override
        if current and (current.meetings_per_year, current.touches_per_month) == (
                meetings_per_year, touches_per_month):
            raise InvalidValueError("meetings_per_year", "is already the client's cadence override")
        self._cadence_overridden(meetings_per_year=meetings_per_year,
                                 touches_per_month=touches_per_month, reason=reason, by=by)

    @event(ClientCadenceOverridden)
    def _cadence_overridden(self, meetings_per_year: int, touches_per_month: int, reason: str,
                            by: str) -> None:
        self.cadence_override = CadenceOverride(meetings_per_year, touches_per_month, reason)

    def clear_cadence_override(self, *, reason: str, by: str) -> None:
        if self.cadence_override is None:
            raise NoCadenceOverrideError("cadence_override", "the client has no cadence override")
        check_reason(reason)
        self._cadence_override_cleared(reason=reason, by=by)

    @event(ClientCadenceOverrideCleared)
    def _cadence_override_cleared(self, reason: str, by: str) -> None:
        self.cadence_override = None

    def set_meeting_preference(self, *, weekday: int | None, time_of_day: str | None,
                               timezone: str, by: str) -> None:
        check_preference(weekday, time_of_day)
        if self.meeting_preference == MeetingPreference(weekday, time_of_day, timezone):
            raise InvalidValueError("weekday", "is already the client's meeting preference")
        self._meeting_preference_set(weekday=weekday, time_of_day=time_of_day, timezone=timezone,
                                     by=by)

    @event(MeetingPreferenceSet)
    def _meeting_preference_set(self, weekday: int | None, time_of_day: str | None, timezone: str,
                                by: str) -> None:
        self.meeting_preference = MeetingPreference(weekday, time_of_day, timezone)

    def check_notice_not_given(self, key: str) -> None:
        if key in self.notices_given:
            raise NoticeAlreadyGivenError("notice", f"already given ({key})")

    def notice_review_area(self, *, category: str, frequency_months: int,
                           last_reviewed_on: date | None, due_on: date | None, overdue: bool,
                           noticed_at: datetime, by: str) -> None:
        """Say once that an area falls due (or is overdue) on ``due_on``."""
        if overdue and due_on is not None and due_on >= noticed_at.date():
            raise InvalidValueError("due_on", "an area is overdue only after its due date")
        key = review_area_notice_key(category, due_on, overdue)
        self.check_notice_not_given(key)
        emit = self._review_area_overdue if overdue else self._review_area_falling_due
        emit(category=category, frequency_months=frequency_months,
             last_reviewed_on=last_reviewed_on, due_on=due_on, noticed_at=noticed_at, by=by)

    @event(ReviewAreaFallingDue)
    def _review_area_falling_due(self, category: str, frequency_months: int,
                                 last_reviewed_on: date | None, due_on: date | None,
                                 noticed_at: datetime, by: str) -> None:
        self.notices_given = self.notices_given | {review_area_notice_key(category, due_on, False)}

    @event(ReviewAreaOverdue)
    def _review_area_overdue(self, category: str, frequency_months: int,
                             last_reviewed_on: date | None, due_on: date | None,
                             noticed_at: datetime, by: str) -> None:
        self.notices_given = self.notices_given | {review_area_notice_key(category, due_on, True)}

    def notice_overdue_action_item(self, *, action_item_id: UUID, noticed_at: datetime,
                                   by: str) -> None:
        item = self.action_item(action_item_id)
        item.check_is_open()
        if item.follow_up_on >= noticed_at.date():
            raise InvalidValueError("action_item_id", f"the follow-up date {item.follow_up_on}"
                                    " has not passed")
        self.check_notice_not_given(action_item_notice_key(action_item_id, item.follow_up_on))
        self._action_item_fell_overdue(action_item_id=action_item_id,
                                       follow_up_on=item.follow_up_on, noticed_at=noticed_at,
                                       by=by)

    @event(ActionItemFellOverdue)
    def _action_item_fell_overdue(self, action_item_id: UUID, follow_up_on: date,
                                  noticed_at: datetime, by: str) -> None:
        self.notices_given = self.notices_given | {
            action_item_notice_key(action_item_id, follow_up_on)}


def review_area_notice_key(category: str, due_on: date | None, overdue: bool) -> str:
    return f"{'overdue' if overdue else 'due'}:{category}:{due_on or 'never'}"


def action_item_notice_key(action_item_id: UUID, follow_up_on: date) -> str:
    return f"action-item-overdue:{action_item_id}:{follow_up_on}"
