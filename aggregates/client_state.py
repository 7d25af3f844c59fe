"""What the ``Client`` area modules may rely on of ``self``: a client's state and the methods one
area calls on itself or on another.

``client_profile``, ``client_reviews``, ``client_recommendations``, ``client_meetings``,
``client_touches`` and ``client_cadence`` hold the methods of ``Client`` (assigned in its class body,
see ``aggregates.client``). They type ``self`` as this protocol instead of importing ``Client``, so
none of them depends on the module that assembles them. mypy checks that ``Client`` satisfies the
protocol wherever ``Client`` passes itself to one of those functions (``open_review``), so a
signature here that drifts from its implementation fails type checking.

It lists only what those modules call through ``self``: the client's state, the look-ups and checks
shared between areas, and the ``@event`` methods (which must be called on the aggregate, never as
plain functions, so that eventsourcing triggers and records the event).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from aggregates.cadence_state import CadenceOverride, MeetingPreference
from aggregates.review_state import ReviewState
from aggregates.strategy_state import ActionItemState, MeetingState, RecommendationState
from events.vocabulary import Answer, ExpectedAnswer, MeetingKind, Priority, Rating, TouchKind


@dataclass(frozen=True)
class Profile:
    """A client's profile as in force on one day (``Client.profile_on``)."""

    name: str
    mrr: Decimal
    user_count: int
    complexity: int
    industry: str
    fiscal_year_start_month: int
    vcio: str
    tam: str


# A profile change as the client keeps it: the day it holds from, its place in the record, values.
DatedChange = tuple[date, int, dict[str, Any]]


class ClientState(Protocol):
    """A ``Client`` as its area modules see it.

    ``name`` ... ``tam`` are the latest values recorded, whatever day they hold from; a decision
    asks ``profile_on(day)`` for the values in force on its day."""

    # --- state ------------------------------------------------------------------------------
    tenant: str
    name: str
    mrr: Decimal
    user_count: int
    complexity: int
    industry: str
    fiscal_year_start_month: int
    vcio: str
    tam: str
    onboarded_profile: Profile
    dated_profile: tuple[DatedChange, ...]
    decision_makers: set[UUID]
    reviews: dict[UUID, ReviewState]
    review_order: list[UUID]
    recommendations: dict[UUID, RecommendationState]
    meetings: dict[UUID, MeetingState]
    action_items: dict[UUID, ActionItemState]
    cadence_override: CadenceOverride | None
    meeting_preference: MeetingPreference | None
    planned_years: frozenset[int]
    notices_given: frozenset[str]
    offboarded_on: date | None
    people_ever: frozenset[UUID]
    people_erased: frozenset[UUID]
    cancelled_by_offboarding: frozenset[UUID]

    # --- look-ups and checks one area asks of another ------------------------------------------
    @property
    def open_review(self) -> ReviewState | None: ...

    @property
    def latest_completed_review(self) -> ReviewState | None: ...

    @property
    def latest_submitted_review(self) -> ReviewState | None: ...

    def check_client_is_active(self) -> None: ...

    def profile_on(self, day: date) -> Profile: ...

    def check_is_decision_maker(self, decision_maker_id: UUID,
                                field: str = "decision_maker_id") -> None: ...

    def review(self, review_id: UUID) -> ReviewState: ...

    def check_review_is_open(self, review: ReviewState) -> None: ...

    def check_review_is_submitted(self, review: ReviewState) -> None: ...

    def recommendation(self, recommendation_id: UUID) -> RecommendationState: ...

    def check_findings_are_misaligned(self, standard_ids: list[UUID]) -> UUID | None: ...

    def meeting(self, meeting_id: UUID) -> MeetingState: ...

    def action_item(self, action_item_id: UUID) -> ActionItemState: ...

    def schedule_meeting(self, *, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                         attendees: list[str], by: str) -> None: ...

    def has_meeting_plan(self, year: int) -> bool: ...

    def check_no_meeting_plan_for(self, year: int) -> None: ...

    def check_notice_not_given(self, key: str) -> None: ...

    # --- event methods: profile and decision makers ------------------------------------------
    def _profile_changed(self, changes: dict[str, Any], effective_on: date | None, by: str) -> None: ...

    def _decision_maker_removed(self, decision_maker_id: UUID, reason: str, by: str) -> None: ...

    def check_erasable(self, decision_maker_id: UUID) -> None: ...

    def _decision_maker_erased(self, decision_maker_id: UUID, reason: str, by: str) -> None: ...

    def _client_offboarded(self, effective_on: date, reason: str, by: str) -> None: ...

    def _client_reonboarded(self, reason: str, by: str) -> None: ...

    # --- event methods: reviews -------------------------------------------------------------
    def _review_started(self, review_id: UUID, categories: list[str], started_at: datetime,
                        by: str) -> None: ...

    def _answer_recorded(self, review_id: UUID, standard_id: UUID, standard_revision: int,
                         expected_answer: ExpectedAnswer, answer: Answer, note: str,
                         observed_at: datetime, by: str) -> None: ...

    def _answer_rated(self, review_id: UUID, standard_id: UUID, rating: Rating, by: str) -> None: ...

    def _answer_suggested(self, suggestion_id: UUID, standard_id: UUID, answer: Answer, source: str,
                          evidence: str, observed_at: datetime, by: str) -> None: ...

    def _review_completed(self, review_id: UUID, completed_at: datetime,
                          unrated_as: Rating | None, by: str) -> None: ...

    def _review_submitted(self, review_id: UUID, submitted_at: datetime, in_scope: int,
                          unanswered: int, by: str) -> None: ...

    def _review_item_sent_back(self, review_id: UUID, standard_id: UUID, comment: str,
                               by: str) -> None: ...

    # --- event methods: recommendations -------------------------------------------------------
    def _recommendation_proposed(
        self, recommendation_id: UUID, title: str, business_impact: str,
        source_review_id: UUID | None, finding_standard_ids: list[UUID], one_time_budget: Decimal,
        recurring_monthly_budget: Decimal, estimated_hours: Decimal,
        target_quarter_start: date | None, priority: Priority, owner: str, capital_expense: bool,
        by: str,
    ) -> None: ...

    def _recommendation_presented(self, recommendation_id: UUID, meeting_id: UUID | None,
                                  by: str) -> None: ...

    def _recommendation_approved(self, recommendation_id: UUID, decision_maker_id: UUID,
                                 approved_at: datetime, by: str) -> None: ...

    def _recommendation_declined(self, recommendation_id: UUID, decision_maker_id: UUID,
                                 reason: str, by: str) -> None: ...

    def _recommendation_rescheduled(self, recommendation_id: UUID,
                                    target_quarter_start: date | None, reason: str,
                                    by: str) -> None: ...

    def _recommendation_started(self, recommendation_id: UUID, started_at: datetime,
                                by: str) -> None: ...

    def _recommendation_completed(self, recommendation_id: UUID, completed_at: datetime,
                                  by: str) -> None: ...

    # --- event methods: meetings and action items ---------------------------------------------
    def _meeting_scheduled(self, meeting_id: UUID, kind: MeetingKind, scheduled_for: datetime,
                           attendees: list[str], by: str) -> None: ...

    def _meeting_agenda_set(self, meeting_id: UUID, agenda: list[str], by: str) -> None: ...

    def _meeting_held(self, meeting_id: UUID, held_at: datetime, summary: str, by: str) -> None: ...

    def _meeting_rescheduled(self, meeting_id: UUID, scheduled_for: datetime, reason: str,
                             by: str) -> None: ...

    def _meeting_cancelled(self, meeting_id: UUID, reason: str, by: str) -> None: ...

    def _meeting_restored(self, meeting_id: UUID, reason: str, by: str) -> None: ...

    def _action_item_added(self, action_item_id: UUID, meeting_id: UUID | None, title: str,
                           owner: str, next_step: str, follow_up_on: date, by: str) -> None: ...

    def _action_item_updated(self, action_item_id: UUID, changes: dict[str, Any],
                             by: str) -> None: ...

    def _action_item_completed(self, action_item_id: UUID, resolution: str,
                               completed_at: datetime, by: str) -> None: ...

    # --- event methods: touches and feedback --------------------------------------------------
    def _touch_logged(self, touch_id: UUID, kind: TouchKind, decision_maker_id: UUID | None,
                      contact_role: str, counts_toward_cadence: bool, happened_at: datetime,
                      note: str, by: str) -> None: ...

    def _feedback_recorded(self, feedback_id: UUID, accepted_recommendation_ids: list[UUID],
                           declined_reasons: dict[str, str], changes_requested: str,
                           new_initiatives: list[str], recorded_at: datetime, by: str) -> None: ...

    # --- event methods: cadence, the annual plan and notices ------------------------------------
    def _meeting_plan_scheduled(self, year: int, period_start: date, meetings: list[dict[str, Any]],
                                meetings_per_year: int, touches_per_month: int, cadence_source: str,
                                planned_as_of: datetime, by: str) -> None: ...

    def _cadence_overridden(self, meetings_per_year: int, touches_per_month: int, reason: str,
                            by: str) -> None: ...

    def _cadence_override_cleared(self, reason: str, by: str) -> None: ...

    def _meeting_preference_set(self, weekday: int | None, time_of_day: str | None, timezone: str,
                                by: str) -> None: ...

    def _review_area_falling_due(self, category: str, frequency_months: int,
                                 last_reviewed_on: date | None, due_on: date | None,
                                 noticed_at: datetime, by: str) -> None: ...

    def _review_area_overdue(self, category: str, frequency_months: int,
                             last_reviewed_on: date | None, due_on: date | None,
                             noticed_at: datetime, by: str) -> None: ...

    def _action_item_fell_overdue(self, action_item_id: UUID, follow_up_on: date,
                                  noticed_at: datetime, by: str) -> None: ...
