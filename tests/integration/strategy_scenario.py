"""Arranging a client's strategy work (recommendations, meetings, action items, touches) through
the real command handlers, so each step of a test is a command a user could send."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.clients import AddDecisionMaker, OnboardClient
from commands.meetings import (
    AddActionItem,
    CancelMeeting,
    CompleteActionItem,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
)
from commands.recommendations import (
    ApproveRecommendation,
    CompleteRecommendation,
    DeclineRecommendation,
    ProposeRecommendation,
    StartRecommendation,
)
from commands.results import Actor
from commands.reviews import CompleteReview, RecordAnswer, StartReview
from commands.touches import LogTouch
from events.vocabulary import Answer, MeetingKind, TouchKind


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

    @property
    def bus(self) -> Any:
        return self.services.bus

    def actor(self, name: str = "vera.vcio", role: str = "vcio") -> Actor:
        return Actor(self.tenant, name, role)

    def client(self, name: str, *, mrr: str = "3000", complexity: int = 5, users: int = 24,
               fiscal_year_start_month: int = 1, vcio: str = "vera.vcio") -> UUID:
        return self.bus.handle(OnboardClient(
            name=name, mrr=Decimal(mrr), user_count=users, complexity=complexity,
            industry="legal", fiscal_year_start_month=fiscal_year_start_month, vcio=vcio,
            tam="tom.tam"), self.actor(vcio)).aggregate_id

    def decision_maker(self, client: UUID, name: str = "Dana Owner") -> UUID:
        result = self.bus.handle(AddDecisionMaker(
            client_id=client, name=name, title="Managing partner"), self.actor())
        assert result.created_id is not None
        return result.created_id

    def propose(self, client: UUID, title: str, *, one_time: str = "0", recurring: str = "0",
                quarter: date | None = None, findings: list[UUID] | None = None,
                capital: bool = False) -> UUID:
        result = self.bus.handle(ProposeRecommendation(
            client_id=client, title=title, business_impact=f"{title} keeps the office working.",
            one_time_budget=Decimal(one_time), recurring_monthly_budget=Decimal(recurring),
            estimated_hours=Decimal("4"), target_quarter_start=quarter,
            finding_standard_ids=findings or [], owner="vera.vcio", capital_expense=capital), self.actor())
        assert result.created_id is not None
        return result.created_id

    def approve(self, client: UUID, recommendation: UUID, decision_maker: UUID,
                on: date) -> None:
        self.bus.handle(ApproveRecommendation(
            client_id=client, recommendation_id=recommendation, decision_maker_id=decision_maker,
            approved_at=at(on)), self.actor(), at(on))

    def decline(self, client: UUID, recommendation: UUID, decision_maker: UUID) -> None:
        self.bus.handle(DeclineRecommendation(
            client_id=client, recommendation_id=recommendation, decision_maker_id=decision_maker,
            reason="Not this year."), self.actor())

    def start(self, client: UUID, recommendation: UUID, on: date) -> None:
        self.bus.handle(StartRecommendation(
            client_id=client, recommendation_id=recommendation, started_at=at(on)), self.actor(), at(on))

    def complete(self, client: UUID, recommendation: UUID, on: date) -> None:
        self.bus.handle(CompleteRecommendation(
            client_id=client, recommendation_id=recommendation, completed_at=at(on)), self.actor(), at(on))

    def meeting(self, client: UUID, on: date,
                kind: MeetingKind = MeetingKind.TECHNOLOGY_BUSINESS_REVIEW) -> UUID:
        result = self.bus.handle(ScheduleMeeting(
            client_id=client, kind=kind, scheduled_for=at(on), attendees=["vera.vcio"]), self.actor())
        assert result.created_id is not None
        return result.created_id

    def hold(self, client: UUID, meeting: UUID, on: date) -> None:
        self.bus.handle(HoldMeeting(
            client_id=client, meeting_id=meeting, held_at=at(on), summary="Went through it all."),
            self.actor(),
            at(on))

    def reschedule(self, client: UUID, meeting: UUID, on: date) -> None:
        self.bus.handle(RescheduleMeeting(
            client_id=client, meeting_id=meeting, scheduled_for=at(on), reason="Owner travels."),
            self.actor())

    def cancel(self, client: UUID, meeting: UUID) -> None:
        self.bus.handle(CancelMeeting(
            client_id=client, meeting_id=meeting, reason="Replaced by a call."), self.actor())

    def action_item(self, client: UUID, follow_up_on: date, meeting: UUID | None = None) -> UUID:
        result = self.bus.handle(AddActionItem(
            client_id=client, meeting_id=meeting, title="Quote new firewall", owner="vera.vcio",
            next_step="Ask the vendor", follow_up_on=follow_up_on), self.actor())
        assert result.created_id is not None
        return result.created_id

    def complete_action_item(self, client: UUID, item: UUID, on: date) -> None:
        self.bus.handle(CompleteActionItem(
            client_id=client, action_item_id=item, resolution="Done.", completed_at=at(on)), self.actor(),
            at(on))

    def touch(self, client: UUID, on: date, decision_maker: UUID | None) -> None:
        self.bus.handle(LogTouch(
            client_id=client, kind=TouchKind.CALL, decision_maker_id=decision_maker,
            contact_role="" if decision_maker else "office manager", happened_at=at(on)), self.actor(),
            at(on))

    def review(self, client: UUID, completed_on: date, categories: list[str] | None = None,
               answers: dict[UUID, Answer] | None = None) -> UUID:
        """A review started, answered (observed that day) and completed on ``completed_on``."""
        tam = self.actor("tom.tam", "tam")
        started = self.bus.handle(StartReview(
            client_id=client, categories=categories or [], started_at=at(completed_on)), tam,
            at(completed_on))
        assert started.created_id is not None
        for standard_id, answer in (answers or {}).items():
            self.bus.handle(RecordAnswer(
                client_id=client, review_id=started.created_id, standard_id=standard_id,
                answer=answer, observed_at=at(completed_on)), tam, at(completed_on))
        self.bus.handle(CompleteReview(
            client_id=client, review_id=started.created_id, completed_at=at(completed_on)), self.actor(),
            at(completed_on))
        return started.created_id
