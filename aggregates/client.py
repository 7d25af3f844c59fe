"""The ``Client`` aggregate: one MSP client, its decision makers, its alignment reviews and its
strategy work (recommendations, meetings, action items, touches, feedback) and annual plan.

Reviews live inside the client because their rules (one open review at a time, the previous
answer, answering only an open review) are rules about the client's own history. Strategy work
lives here too: approval needs the client's current decision makers, and a recommendation's
findings must be misaligned answers of the client's latest completed review.

The methods are written per domain area in ``client_profile``, ``client_reviews``,
``client_recommendations``, ``client_meetings``, ``client_touches`` and ``client_cadence``, and
assigned here, in the class body. Two things pin that shape:

- Events are stored under the aggregate's nested class (``aggregates.client:Client.ReviewStarted``)
  and existing histories hold those topics, so there is one ``Client`` class, here, with every
  event class named in its body.
- eventsourcing registers an ``@event`` method only when it finds it in the namespace of the class
  being created; one inherited from a mixin fails when called ("Event class not registered for
  event decorator"). Assigning the decorated function in the body puts it in that namespace.

The area modules never import this module: they type ``self`` as ``ClientState``
(``aggregates.client_state``), a protocol of the state and methods they rely on, and mypy checks at
the end of this module that ``Client`` satisfies it.
"""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import event

from aggregates import (
    client_cadence,
    client_meetings,
    client_profile,
    client_recommendations,
    client_review_stages,
    client_reviews,
    client_touches,
)
from aggregates.cadence_state import CadenceOverride, MeetingPreference
from aggregates.client_cadence import action_item_notice_key, review_area_notice_key
from aggregates.client_profile import PROFILE_FIELDS, check_profile_value
from aggregates.client_state import ClientState, DatedChange, Profile
from aggregates.review_state import ReviewState
from aggregates.strategy_state import ActionItemState, MeetingState, RecommendationState
from aggregates.tenanted import TenantAggregate
from events import cadence as cad
from events import clients as cev
from events import meetings as mev
from events import recommendations as rec
from events import reviews as rev
from events import touches as tev

__all__ = ["PROFILE_FIELDS", "Client", "action_item_notice_key", "check_profile_value",
           "review_area_notice_key"]


class Client(TenantAggregate):
    """An MSP client, the decision makers who approve its spending, and its reviews."""

    ClientOnboarded = cev.ClientOnboarded
    ClientProfileChanged = cev.ClientProfileChanged
    DecisionMakerAdded = cev.DecisionMakerAdded
    DecisionMakerRemoved = cev.DecisionMakerRemoved
    DecisionMakerErased = cev.DecisionMakerErased
    ClientOffboarded = cev.ClientOffboarded
    ClientReonboarded = cev.ClientReonboarded
    ReviewStarted = rev.ReviewStarted
    AnswerRecorded = rev.AnswerRecorded
    AnswerRated = rev.AnswerRated
    ReviewCompleted = rev.ReviewCompleted
    ReviewSubmitted = rev.ReviewSubmitted
    ReviewItemSentBack = rev.ReviewItemSentBack
    AnswerSuggested = rev.AnswerSuggested
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
    MeetingRestored = mev.MeetingRestored
    ActionItemAdded = mev.ActionItemAdded
    ActionItemUpdated = mev.ActionItemUpdated
    ActionItemCompleted = mev.ActionItemCompleted
    TouchLogged = tev.TouchLogged
    ClientFeedbackRecorded = tev.ClientFeedbackRecorded
    MeetingPlanScheduled = cad.MeetingPlanScheduled
    ClientCadenceOverridden = cad.ClientCadenceOverridden
    ClientCadenceOverrideCleared = cad.ClientCadenceOverrideCleared
    MeetingPreferenceSet = cad.MeetingPreferenceSet
    ReviewAreaFallingDue = cad.ReviewAreaFallingDue
    ReviewAreaOverdue = cad.ReviewAreaOverdue
    ActionItemFellOverdue = cad.ActionItemFellOverdue

    # State added after the first release defaults at class level (immutable values only), so
    # clients whose history predates the events that set it load unchanged.
    cadence_override: CadenceOverride | None = None
    meeting_preference: MeetingPreference | None = None
    planned_years: frozenset[int] = frozenset()
    notices_given: frozenset[str] = frozenset()
    offboarded_on: date | None = None
    people_ever: frozenset[UUID] = frozenset()
    people_erased: frozenset[UUID] = frozenset()
    cancelled_by_offboarding: frozenset[UUID] = frozenset()

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
        self.onboarded_profile = Profile(name, Decimal(mrr), user_count, complexity, industry,
                                         fiscal_year_start_month, vcio, tam)
        self.dated_profile: tuple[DatedChange, ...] = ()
        self.decision_makers: set[UUID] = set()
        self.reviews: dict[UUID, ReviewState] = {}
        self.review_order: list[UUID] = []
        self.recommendations: dict[UUID, RecommendationState] = {}
        self.meetings: dict[UUID, MeetingState] = {}
        self.action_items: dict[UUID, ActionItemState] = {}

    # --- profile and decision makers -------------------------------------------------------
    change_profile = client_profile.change_profile
    profile_on = client_profile.profile_on
    _profile_changed = client_profile._profile_changed
    add_decision_maker = client_profile.add_decision_maker
    check_is_decision_maker = client_profile.check_is_decision_maker
    remove_decision_maker = client_profile.remove_decision_maker
    _decision_maker_removed = client_profile._decision_maker_removed
    check_erasable = client_profile.check_erasable
    erase_decision_maker = client_profile.erase_decision_maker
    _decision_maker_erased = client_profile._decision_maker_erased
    check_client_is_active = client_profile.check_client_is_active
    offboard = client_profile.offboard
    _client_offboarded = client_profile._client_offboarded
    reonboard = client_profile.reonboard
    _client_reonboarded = client_profile._client_reonboarded

    # --- reviews ---------------------------------------------------------------------------
    @property
    def open_review(self) -> ReviewState | None:
        return client_reviews.open_review(self)

    @property
    def latest_completed_review(self) -> ReviewState | None:
        return client_reviews.latest_completed_review(self)

    @property
    def latest_submitted_review(self) -> ReviewState | None:
        return client_reviews.latest_submitted_review(self)

    review = client_reviews.review
    check_review_is_open = client_reviews.check_review_is_open
    start_review = client_reviews.start_review
    _review_started = client_reviews._review_started
    record_answer = client_reviews.record_answer
    _answer_recorded = client_reviews._answer_recorded
    rate_answer = client_reviews.rate_answer
    _answer_rated = client_reviews._answer_rated
    complete_review = client_reviews.complete_review
    _review_completed = client_reviews._review_completed
    previous_answer = client_reviews.previous_answer
    suggest_answer = client_reviews.suggest_answer
    _answer_suggested = client_reviews._answer_suggested
    check_review_is_submitted = client_review_stages.check_review_is_submitted
    submit_review = client_review_stages.submit_review
    _review_submitted = client_review_stages._review_submitted
    send_back_item = client_review_stages.send_back_item
    _review_item_sent_back = client_review_stages._review_item_sent_back
    finalise_review = client_review_stages.finalise_review

    # --- recommendations -------------------------------------------------------------------
    recommendation = client_recommendations.recommendation
    check_findings_are_misaligned = client_recommendations.check_findings_are_misaligned
    propose_recommendation = client_recommendations.propose_recommendation
    _recommendation_proposed = client_recommendations._recommendation_proposed
    present_recommendation = client_recommendations.present_recommendation
    _recommendation_presented = client_recommendations._recommendation_presented
    approve_recommendation = client_recommendations.approve_recommendation
    _recommendation_approved = client_recommendations._recommendation_approved
    decline_recommendation = client_recommendations.decline_recommendation
    _recommendation_declined = client_recommendations._recommendation_declined
    reschedule_recommendation = client_recommendations.reschedule_recommendation
    _recommendation_rescheduled = client_recommendations._recommendation_rescheduled
    start_recommendation = client_recommendations.start_recommendation
    _recommendation_started = client_recommendations._recommendation_started
    complete_recommendation = client_recommendations.complete_recommendation
    _recommendation_completed = client_recommendations._recommendation_completed

    # --- meetings and action items ---------------------------------------------------------
    meeting = client_meetings.meeting
    schedule_meeting = client_meetings.schedule_meeting
    _meeting_scheduled = client_meetings._meeting_scheduled
    set_meeting_agenda = client_meetings.set_meeting_agenda
    _meeting_agenda_set = client_meetings._meeting_agenda_set
    hold_meeting = client_meetings.hold_meeting
    _meeting_held = client_meetings._meeting_held
    reschedule_meeting = client_meetings.reschedule_meeting
    _meeting_rescheduled = client_meetings._meeting_rescheduled
    cancel_meeting = client_meetings.cancel_meeting
    _meeting_cancelled = client_meetings._meeting_cancelled
    _meeting_restored = client_meetings._meeting_restored
    action_item = client_meetings.action_item
    add_action_item = client_meetings.add_action_item
    _action_item_added = client_meetings._action_item_added
    update_action_item = client_meetings.update_action_item
    _action_item_updated = client_meetings._action_item_updated
    complete_action_item = client_meetings.complete_action_item
    _action_item_completed = client_meetings._action_item_completed

    # --- touches and feedback --------------------------------------------------------------
    log_touch = client_touches.log_touch
    _touch_logged = client_touches._touch_logged
    record_feedback = client_touches.record_feedback
    _feedback_recorded = client_touches._feedback_recorded

    # --- cadence, the annual plan and notices ------------------------------------------------
    has_meeting_plan = client_cadence.has_meeting_plan
    check_no_meeting_plan_for = client_cadence.check_no_meeting_plan_for
    schedule_meeting_plan = client_cadence.schedule_meeting_plan
    _meeting_plan_scheduled = client_cadence._meeting_plan_scheduled
    override_cadence = client_cadence.override_cadence
    _cadence_overridden = client_cadence._cadence_overridden
    clear_cadence_override = client_cadence.clear_cadence_override
    _cadence_override_cleared = client_cadence._cadence_override_cleared
    set_meeting_preference = client_cadence.set_meeting_preference
    _meeting_preference_set = client_cadence._meeting_preference_set
    check_notice_not_given = client_cadence.check_notice_not_given
    notice_review_area = client_cadence.notice_review_area
    _review_area_falling_due = client_cadence._review_area_falling_due
    _review_area_overdue = client_cadence._review_area_overdue
    notice_overdue_action_item = client_cadence.notice_overdue_action_item
    _action_item_fell_overdue = client_cadence._action_item_fell_overdue


if TYPE_CHECKING:
    def _client_is_a_client_state(client: Client) -> ClientState:
        """Where mypy checks that ``Client`` has all its area modules rely on."""
        return client
