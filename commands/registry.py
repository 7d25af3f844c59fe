"""Every command the product knows: its handler and the roles allowed to send it.

One line per command. ``admin`` may send every command; ``viewer`` sends none. Two roles belong
to machines rather than people: ``scheduler`` (the annual planner and its reminders) and
``integration`` (PSA and RMM tools over the inbound Kafka topic). Adding a command means adding
its model and handler beside its domain area and one line here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from commands import (
    cadence,
    change_sets,
    clients,
    meetings,
    msp_settings,
    recommendations,
    reviews,
    standards,
    suggestions,
    touches,
)
from commands.base import Command
from commands.context import Handler

HUMAN_ROLES = ("admin", "committee", "vcio", "tam", "viewer")
MACHINE_ROLES = ("scheduler", "integration")
ROLES = HUMAN_ROLES + MACHINE_ROLES


@dataclass(frozen=True)
class Registration:
    """One command type: its handler and the roles allowed to send it (``admin`` always may)."""

    command: type[Command]
    handler: Handler[Any]
    roles: frozenset[str]

    def allows(self, role: str) -> bool:
        return role == "admin" or role in self.roles


def entry(command: type[Command], handler: Handler[Any], *roles: str) -> tuple[type[Command], Registration]:
    return command, Registration(command, handler, frozenset(roles))


REGISTRY: Mapping[type[Command], Registration] = MappingProxyType(dict([
    # cadence
    entry(cadence.OverrideClientCadence, cadence.override_client_cadence, "vcio"),
    entry(cadence.ClearClientCadenceOverride, cadence.clear_client_cadence_override, "vcio"),
    entry(cadence.SetMeetingPreference, cadence.set_meeting_preference, "vcio"),
    entry(cadence.PlanClientMeetings, cadence.plan_client_meetings, "scheduler"),
    entry(cadence.PlanCommitteeMeetings, cadence.plan_committee_meetings, "scheduler"),
    entry(cadence.NoticeReviewArea, cadence.notice_review_area, "scheduler"),
    entry(cadence.NoticeOverdueActionItem, cadence.notice_overdue_action_item, "scheduler"),
    # change_sets
    entry(change_sets.OpenChangeSet, change_sets.open_change_set, "committee"),
    entry(change_sets.ProposeNewStandard, change_sets.propose_new_standard, "committee"),
    entry(change_sets.ProposeRevision, change_sets.propose_revision, "committee"),
    entry(change_sets.ProposeWeightChange, change_sets.propose_weight_change, "committee"),
    entry(change_sets.ProposeRetirement, change_sets.propose_retirement, "committee"),
    entry(change_sets.WithdrawProposal, change_sets.withdraw_proposal, "committee"),
    entry(change_sets.DiscardChangeSet, change_sets.discard_change_set, "committee"),
    entry(change_sets.PublishChangeSet, change_sets.publish_change_set, "committee"),
    # clients
    entry(clients.OnboardClient, clients.onboard_client, "vcio"),
    entry(clients.ChangeClientProfile, clients.change_client_profile, "vcio", "integration"),
    entry(clients.AddDecisionMaker, clients.add_decision_maker, "vcio"),
    entry(clients.RemoveDecisionMaker, clients.remove_decision_maker, "vcio"),
    entry(clients.EraseDecisionMaker, clients.erase_decision_maker, "admin"),  # a legal request
    entry(clients.OffboardClient, clients.offboard_client, "vcio"),
    entry(clients.ReonboardClient, clients.reonboard_client, "vcio"),
    # meetings
    entry(meetings.ScheduleMeeting, meetings.schedule_meeting, "vcio"),
    entry(meetings.SetMeetingAgenda, meetings.set_meeting_agenda, "vcio"),
    entry(meetings.HoldMeeting, meetings.hold_meeting, "vcio", "integration"),
    entry(meetings.RescheduleMeeting, meetings.reschedule_meeting, "vcio"),
    entry(meetings.CancelMeeting, meetings.cancel_meeting, "vcio"),
    entry(meetings.AddActionItem, meetings.add_action_item, "vcio"),
    entry(meetings.UpdateActionItem, meetings.update_action_item, "vcio"),
    entry(meetings.CompleteActionItem, meetings.complete_action_item, "vcio"),
    # msp_settings: the MSP's own rules are the admin's
    entry(msp_settings.SetScoringPolicy, msp_settings.set_scoring_policy, "admin"),
    entry(msp_settings.SetTargetBands, msp_settings.set_target_bands, "admin"),
    entry(msp_settings.SetCadenceRules, msp_settings.set_cadence_rules, "admin"),
    entry(msp_settings.SetReviewLeadTime, msp_settings.set_review_lead_time, "admin"),
    entry(msp_settings.SetFinancialDefaults, msp_settings.set_financial_defaults, "admin"),
    # recommendations
    entry(recommendations.ProposeRecommendation, recommendations.propose_recommendation, "vcio"),
    entry(recommendations.PresentRecommendation, recommendations.present_recommendation, "vcio"),
    entry(recommendations.ApproveRecommendation, recommendations.approve_recommendation, "vcio"),
    entry(recommendations.DeclineRecommendation, recommendations.decline_recommendation, "vcio"),
    entry(recommendations.RescheduleRecommendation, recommendations.reschedule_recommendation, "vcio"),
    entry(recommendations.StartRecommendation, recommendations.start_recommendation, "vcio"),
    entry(recommendations.CompleteRecommendation, recommendations.complete_recommendation, "vcio"),
    # reviews
    entry(reviews.StartReview, reviews.start_review, "tam"),
    entry(reviews.RecordAnswer, reviews.record_answer, "tam", "integration"),
    entry(reviews.RecordAnswers, reviews.record_answers, "tam"),
    entry(reviews.RateAnswer, reviews.rate_answer, "vcio"),
    entry(reviews.SuggestAnswer, reviews.suggest_answer, "integration"),
    entry(reviews.CompleteReview, reviews.complete_review, "tam", "vcio"),
    entry(reviews.SubmitReview, reviews.submit_review, "tam"),
    entry(reviews.SendBackItem, reviews.send_back_item, "vcio"),
    entry(reviews.FinaliseReview, reviews.finalise_review, "vcio"),
    # standards
    entry(standards.DraftStandard, standards.draft_standard, "committee"),
    entry(standards.PublishStandard, standards.publish_standard, "committee"),
    entry(standards.ReviseStandard, standards.revise_standard, "committee"),
    entry(standards.RetireStandard, standards.retire_standard, "committee"),
    entry(standards.SplitStandard, standards.split_standard, "committee"),
    entry(standards.ConfirmStandardReviewed, standards.confirm_standard_reviewed, "committee"),
    # suggestions: anyone who works with clients may suggest; viewers only read
    entry(suggestions.SuggestStandard, suggestions.suggest_standard, "committee", "vcio", "tam"),
    entry(suggestions.AcceptSuggestion, suggestions.accept_suggestion, "committee"),
    entry(suggestions.DeclineSuggestion, suggestions.decline_suggestion, "committee"),
    # touches
    entry(touches.LogTouch, touches.log_touch, "vcio", "integration"),
    entry(touches.RecordClientFeedback, touches.record_client_feedback, "vcio"),
]))
