"""Arranging a tenant's library, a client and its reviews through the real command handlers,
then waiting until the read models include every step (so the browser sees it at once)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from commands.bus import CommandBus
from commands.clients import AddDecisionMaker, OnboardClient
from commands.results import Actor
from commands.reviews import (
    AnswerInput,
    CompleteReview,
    RateAnswer,
    RecordAnswers,
    StartReview,
    SubmitReview,
)
from commands.standards import DraftStandard
from runtime.services import Services

# key: (category, priority, expected answer)
LIBRARY = {
    "FW-1": ("firewalls", "high", "yes"),
    "FW-2": ("firewalls", "medium", "yes"),
    "BK-1": ("backup", "high", "yes"),
    "BK-2": ("backup", "low", "no"),
    "EM-1": ("email", "medium", "yes"),
    "EM-2": ("email", "low", "yes"),
}


@dataclass
class Arrange:
    services: Services
    tenant: str
    standards: dict[str, UUID] = field(default_factory=dict)

    def actor(self, role: str, name: str) -> Actor:
        return Actor(self.tenant, name, role)

    def settle(self) -> None:
        self.services.wait_for(self.services.ledger.recorder.max_notification_id() or 0)

    def library(self) -> dict[str, UUID]:
        committee = self.actor("committee", "carla.committee")
        for key, (category, priority, expected) in LIBRARY.items():
            self.standards[key] = self.services.bus.handle(DraftStandard(
                key=key, category=category, question=f"Is {key} in place on every site?",
                expected_answer=expected, how_to_check=f"Look at the {key} console.",
                why_it_matters=f"Without {key} the client is exposed.", priority=priority,
                review_frequency="annual", publish=True), committee).aggregate_id
        self.settle()
        return self.standards

    def client(self, name: str = "Acme Dental") -> tuple[UUID, UUID]:
        """A new client with one decision maker: (client id, decision maker id)."""
        vcio = self.actor("vcio", "vera.vcio")
        client_id = self.services.bus.handle(OnboardClient(
            name=name, mrr=Decimal("3000"), user_count=24, complexity=5, industry="healthcare",
            vcio="vera.vcio", tam="tom.tam"), vcio).aggregate_id
        person = self.services.bus.handle(AddDecisionMaker(
            client_id=client_id, name="Dana Owner", title="Managing partner"), vcio).created_id
        assert person is not None
        self.settle()
        return client_id, person

    def review(self, client_id: UUID, answers: dict[str, str], *, days_ago: int | None = None,
               ratings: dict[str, str] | None = None, notes: dict[str, str] | None = None,
               submitted: bool = False) -> UUID:
        """A review answered as given (with ``notes``); completed ``days_ago`` days ago, or left
        open when None: being answered, or submitted to the vCIO when ``submitted``."""
        tam, vcio = self.actor("tam", "tom.tam"), self.actor("vcio", "vera.vcio")
        ledger, now = self.services.ledger, datetime.now(UTC)
        started = now - timedelta(days=(days_ago or 0) + 2)
        review_id = CommandBus(ledger).handle(StartReview(client_id=client_id, started_at=started), tam,
            started).created_id
        assert review_id is not None
        if answers:
            CommandBus(ledger).handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=[
                AnswerInput(standard_id=self.standards[key], answer=value, observed_at=started,
                            note=(notes or {}).get(key, ""))
                for key, value in answers.items()]), tam, started)
        if submitted:
            CommandBus(ledger).handle(SubmitReview(client_id=client_id, review_id=review_id,
                                                   confirm_unanswered=True), tam, started)
        for key, rating in (ratings or {}).items():
            CommandBus(ledger).handle(RateAnswer(client_id=client_id, review_id=review_id,
                                                 standard_id=self.standards[key], rating=rating), vcio)
        if days_ago is not None:
            done = now - timedelta(days=days_ago)
            CommandBus(ledger).handle(CompleteReview(client_id=client_id, review_id=review_id,
                                                         completed_at=done), vcio, done)
        self.settle()
        return review_id
