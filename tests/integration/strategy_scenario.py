"""Arranging a client's strategy work (recommendations, meetings, action items, touches) through
the real command handlers, so each step of a test is a command a user could send."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.clients import AddDecisionMaker, OnboardClient, add_decision_maker, onboard_client
from commands.meetings import (
    AddActionItem,
    CancelMeeting,
    CompleteActionItem,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
    add_action_item,
    cancel_meeting,
    complete_action_item,
    hold_meeting,
    reschedule_meeting,
    schedule_meeting,
)
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    ProposeRecommendation,
    StartRecommendation,
    approve_recommendation,
    complete_recommendation,
    decline_recommendation,
    propose_recommendation,
    start_recommendation,
)
from commands.results import Actor
from commands.reviews import CompleteReview, StartReview, complete_review, start_review
from commands.touches import LogTouch, log_touch
from events.vocabulary import MeetingKind, TouchKind


def at(day: date) -> datetime:
    """Nine in the morning, UTC, on ``day``."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@dataclass
class Strategy:
    """One tenant's vCIO work, step by step."""

    services: Any
    tenant: str

    @property
    def ledger(self) -> Any:
        return self.services.ledger

    def actor(self, name: str = "vera.vcio") -> Actor:
        return Actor(self.tenant, name, "vcio")

    def client(self, name: str, *, mrr: str = "3000", complexity: int = 5, users: int = 24,
               fiscal_year_start_month: int = 1, vcio: str = "vera.vcio") -> UUID:
        return onboard_client(self.ledger, self.actor(vcio), OnboardClient(
            name=name, mrr=Decimal(mrr), user_count=users, complexity=complexity,
            industry="legal", fiscal_year_start_month=fiscal_year_start_month, vcio=vcio,
            tam="tom.tam")).aggregate_id

    def decision_maker(self, client: UUID, name: str = "Dana Owner") -> UUID:
        result = add_decision_maker(self.ledger, self.services.vault, self.actor(), AddDecisionMaker(
            client_id=client, name=name, title="Managing partner"))
        assert result.created_id is not None
        return result.created_id

    def propose(self, client: UUID, title: str, *, one_time: str = "0", recurring: str = "0",
                quarter: date | None = None, findings: list[UUID] | None = None,
                capital: bool = False) -> UUID:
        result = propose_recommendation(self.ledger, self.actor(), ProposeRecommendation(
            client_id=client, title=title, business_impact=f"{title} keeps the office working.",
            one_time_budget=Decimal(one_time), recurring_monthly_budget=Decimal(recurring),
            estimated_hours=Decimal("4"), target_quarter_start=quarter,
            finding_standard_ids=findings or [], owner="vera.vcio", capital_expense=capital))
        assert result.created_id is not None
        return result.created_id

    def approve(self, client: UUID, recommendation: UUID, decision_maker: UUID,
                on: date) -> None:
        approve_recommendation(self.ledger, self.actor(), ApproveRecommendation(
            client_id=client, recommendation_id=recommendation, decision_maker_id=decision_maker,
            approved_at=at(on)), at(on))

    def decline(self, client: UUID, recommendation: UUID, decision_maker: UUID) -> None:
        decline_recommendation(self.ledger, self.actor(), DeclineRecommendation(
            client_id=client, recommendation_id=recommendation, decision_maker_id=decision_maker,
            reason="Not this year."))

    def start(self, client: UUID, recommendation: UUID, on: date) -> None:
        start_recommendation(self.ledger, self.actor(), StartRecommendation(
            client_id=client, recommendation_id=recommendation, started_at=at(on)), at(on))

    def complete(self, client: UUID, recommendation: UUID, on: date) -> None:
        complete_recommendation(self.ledger, self.actor(), CompleteRecommendation(
            client_id=client, recommendation_id=recommendation, completed_at=at(on)), at(on))

    def meeting(self, client: UUID, on: date,
                kind: MeetingKind = MeetingKind.TECHNOLOGY_BUSINESS_REVIEW) -> UUID:
        result = schedule_meeting(self.ledger, self.actor(), ScheduleMeeting(
            client_id=client, kind=kind, scheduled_for=at(on), attendees=["vera.vcio"]))
        assert result.created_id is not None
        return result.created_id

    def hold(self, client: UUID, meeting: UUID, on: date) -> None:
        hold_meeting(self.ledger, self.actor(), HoldMeeting(
            client_id=client, meeting_id=meeting, held_at=at(on), summary="Went through it all."),
            at(on))

    def reschedule(self, client: UUID, meeting: UUID, on: date) -> None:
        reschedule_meeting(self.ledger, self.actor(), RescheduleMeeting(
            client_id=client, meeting_id=meeting, scheduled_for=at(on), reason="Owner travels."))

    def cancel(self, client: UUID, meeting: UUID) -> None:
        cancel_meeting(self.ledger, self.actor(), CancelMeeting(
            client_id=client, meeting_id=meeting, reason="Replaced by a call."))

    def action_item(self, client: UUID, follow_up_on: date, meeting: UUID | None = None) -> UUID:
        result = add_action_item(self.ledger, self.actor(), AddActionItem(
            client_id=client, meeting_id=meeting, title="Quote new firewall", owner="vera.vcio",
            next_step="Ask the vendor", follow_up_on=follow_up_on))
        assert result.created_id is not None
        return result.created_id

    def complete_action_item(self, client: UUID, item: UUID, on: date) -> None:
        complete_action_item(self.ledger, self.actor(), CompleteActionItem(
            client_id=client, action_item_id=item, resolution="Done.", completed_at=at(on)), at(on))

    def touch(self, client: UUID, on: date, decision_maker: UUID | None) -> None:
        log_touch(self.ledger, self.actor(), LogTouch(
            client_id=client, kind=TouchKind.CALL, decision_maker_id=decision_maker,
            contact_role="" if decision_maker else "office manager", happened_at=at(on)), at(on))

    def review(self, client: UUID, completed_on: date, categories: list[str] | None = None) -> UUID:
        started = start_review(self.ledger, self.actor("tom.tam"), StartReview(
            client_id=client, categories=categories or [], started_at=at(completed_on)),
            at(completed_on))
        assert started.created_id is not None
        complete_review(self.ledger, self.actor(), CompleteReview(
            client_id=client, review_id=started.created_id, completed_at=at(completed_on)),
            at(completed_on))
        return started.created_id
