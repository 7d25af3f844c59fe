"""Arranging a client's review history through the real command handlers, in few words.

Unit tests run it on the in-memory ledger and integration tests on PostgreSQL; either way each
step is a command a user could send, so the arrange part of a test reads like the story it sets up.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from uuid import UUID

from commands.bus import CommandBus
from commands.clients import OnboardClient
from commands.ledger import Ledger
from commands.results import Actor, CommandResult
from commands.reviews import (
    CompleteReview,
    RateAnswer,
    RecordAnswer,
    StartReview,
)
from commands.standards import (
    DraftStandard,
    RetireStandard,
)
from events.vocabulary import Answer, ExpectedAnswer, Priority, Rating, ReviewFrequency

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    """One tenant's actors and a clock that moves forward a day per step."""

    bus: CommandBus
    tenant: str
    clock: datetime = START
    _keys: count = field(default_factory=count)

    @property
    def ledger(self) -> Ledger:
        return self.bus.ledger

    @property
    def committee(self) -> Actor:
        return Actor(self.tenant, "carla.committee", "committee")

    @property
    def tam(self) -> Actor:
        return Actor(self.tenant, "tom.tam", "tam")

    @property
    def vcio(self) -> Actor:
        return Actor(self.tenant, "vera.vcio", "vcio")

    @property
    def scheduler(self) -> Actor:
        return Actor(self.tenant, "vcio-scheduler", "scheduler")

    def tick(self) -> datetime:
        self.clock += timedelta(days=1)
        return self.clock

    def standard(self, *, category: str = "firewalls", priority: Priority = Priority.HIGH,
                 expected: ExpectedAnswer = ExpectedAnswer.YES, publish: bool = True,
                 frequency: ReviewFrequency = ReviewFrequency.QUARTERLY) -> UUID:
        number = next(self._keys)
        result = self.bus.handle(DraftStandard(
            key=f"{category[:3].upper()}-{number:03d}", category=category,
            question=f"Is control {number} of {category} in place?",
            expected_answer=expected, how_to_check="Look at the console.",
            why_it_matters="It lowers the risk of an outage.", priority=priority,
            review_frequency=frequency, publish=publish), self.committee)
        return result.aggregate_id

    def retire(self, standard_id: UUID) -> None:
        self.bus.handle(RetireStandard(standard_id=standard_id, reason="superseded"), self.committee)

    def client(self, name: str = "Client A") -> UUID:
        return self.bus.handle(OnboardClient(
            name=name, mrr=Decimal("3000.00"), user_count=24, complexity=5, industry="legal",
            vcio="vera.vcio", tam="tom.tam"), self.vcio).aggregate_id

    def start(self, client_id: UUID, categories: list[str] | None = None) -> UUID:
        result = self.bus.handle(StartReview(client_id=client_id, categories=categories or []), self.tam,
            self.tick())
        assert result.created_id is not None
        return result.created_id

    def answer(self, client_id: UUID, review_id: UUID, standard_id: UUID, answer: Answer,
               note: str = "") -> CommandResult:
        return self.bus.handle(RecordAnswer(
            client_id=client_id, review_id=review_id, standard_id=standard_id, answer=answer,
            note=note), self.tam, self.tick())

    def rate(self, client_id: UUID, review_id: UUID, standard_id: UUID,
             rating: Rating) -> CommandResult:
        return self.bus.handle(RateAnswer(
            client_id=client_id, review_id=review_id, standard_id=standard_id, rating=rating), self.vcio)

    def complete(self, client_id: UUID, review_id: UUID) -> CommandResult:
        command = CompleteReview(client_id=client_id, review_id=review_id)
        return self.bus.handle(command, self.vcio, self.tick())

    def completed_review(self, client_id: UUID, answers: dict[UUID, Answer]) -> UUID:
        review_id = self.start(client_id)
        for standard_id, answer in answers.items():
            self.answer(client_id, review_id, standard_id, answer)
        self.complete(client_id, review_id)
        return review_id
