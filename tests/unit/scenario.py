"""Arranging a client's review history through the real command handlers, in few words.

Unit tests run it on the in-memory ledger and integration tests on PostgreSQL; either way each
step is a command a user could send, so the arrange part of a test reads like the story it sets up.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from uuid import UUID

from commands.clients import OnboardClient, onboard_client
from commands.ledger import Ledger
from commands.results import Actor, CommandResult
from commands.reviews import (
    CompleteReview,
    RateAnswer,
    RecordAnswer,
    StartReview,
    complete_review,
    rate_answer,
    record_answer,
    start_review,
)
from commands.standards import (
    DraftStandard,
    RetireStandard,
    draft_standard,
    retire_standard,
)
from events.vocabulary import Answer, ExpectedAnswer, Priority, Rating, ReviewFrequency

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    """One tenant's actors and a clock that moves forward a day per step."""

    ledger: Ledger
    tenant: str
    clock: datetime = START
    _keys: count = field(default_factory=count)

    @property
    def committee(self) -> Actor:
        return Actor(self.tenant, "carla.committee", "committee")

    @property
    def tam(self) -> Actor:
        return Actor(self.tenant, "tom.tam", "tam")

    @property
    def vcio(self) -> Actor:
        return Actor(self.tenant, "vera.vcio", "vcio")

    def tick(self) -> datetime:
        self.clock += timedelta(days=1)
        return self.clock

    def standard(self, *, category: str = "firewalls", priority: Priority = Priority.HIGH,
                 expected: ExpectedAnswer = ExpectedAnswer.YES, publish: bool = True) -> UUID:
        number = next(self._keys)
        result = draft_standard(self.ledger, self.committee, DraftStandard(
            key=f"{category[:3].upper()}-{number:03d}", category=category,
            question=f"Is control {number} of {category} in place?",
            expected_answer=expected, how_to_check="Look at the console.",
            why_it_matters="It lowers the risk of an outage.", priority=priority,
            review_frequency=ReviewFrequency.QUARTERLY, publish=publish))
        return result.aggregate_id

    def retire(self, standard_id: UUID) -> None:
        retire_standard(self.ledger, self.committee,
                        RetireStandard(standard_id=standard_id, reason="superseded"))

    def client(self, name: str = "Client A") -> UUID:
        return onboard_client(self.ledger, self.vcio, OnboardClient(
            name=name, mrr=Decimal("3000.00"), user_count=24, complexity=5, industry="legal",
            vcio="vera.vcio", tam="tom.tam")).aggregate_id

    def start(self, client_id: UUID, categories: list[str] | None = None) -> UUID:
        result = start_review(self.ledger, self.tam,
                              StartReview(client_id=client_id, categories=categories or []),
                              self.tick())
        assert result.created_id is not None
        return result.created_id

    def answer(self, client_id: UUID, review_id: UUID, standard_id: UUID, answer: Answer,
               note: str = "") -> CommandResult:
        return record_answer(self.ledger, self.tam, RecordAnswer(
            client_id=client_id, review_id=review_id, standard_id=standard_id, answer=answer,
            note=note), self.tick())

    def rate(self, client_id: UUID, review_id: UUID, standard_id: UUID,
             rating: Rating) -> CommandResult:
        return rate_answer(self.ledger, self.vcio, RateAnswer(
            client_id=client_id, review_id=review_id, standard_id=standard_id, rating=rating))

    def complete(self, client_id: UUID, review_id: UUID) -> CommandResult:
        command = CompleteReview(client_id=client_id, review_id=review_id)
        return complete_review(self.ledger, self.vcio, command, self.tick())

    def completed_review(self, client_id: UUID, answers: dict[UUID, Answer]) -> UUID:
        review_id = self.start(client_id)
        for standard_id, answer in answers.items():
            self.answer(client_id, review_id, standard_id, answer)
        self.complete(client_id, review_id)
        return review_id
