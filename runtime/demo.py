"""Demo data: our starter standards library and three clients (the brief's rows A, B and C),
each with completed reviews whose alignment improves over time.

Every command carries a deterministic idempotency key, so loading twice records nothing new.
"""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any
from uuid import UUID

from commands import clients as client_commands
from commands import reviews as review_commands
from commands import standards as standard_commands
from commands.bus import CommandBus
from commands.results import Actor
from events.vocabulary import Answer, Rating
from runtime.demo_strategy import load_strategy

DEMO_TENANT = "demo-msp"


@dataclass(frozen=True)
class DemoClient:
    code: str
    name: str
    mrr: Decimal
    user_count: int
    complexity: int
    industry: str
    fiscal_year_start_month: int
    decision_makers: tuple[tuple[str, str, str], ...]
    alignment_by_review: tuple[float, ...]


DEMO_CLIENTS = (
    DemoClient("A", "Alder & Finch Accounting", Decimal("3000"), 24, 5, "professional services", 1,
               (("Maria Alder", "Managing Partner", "maria@alderfinch.example"),),
               (0.55, 0.68)),
    DemoClient("B", "Brightwater Logistics", Decimal("6500"), 52, 3, "logistics", 7,
               (("Tom Reyes", "CEO", "tom@brightwater.example"),
                ("Priya Nair", "CFO", "priya@brightwater.example")),
               (0.62, 0.71, 0.80)),
    DemoClient("C", "Cedar Ridge Clinic", Decimal("1500"), 12, 8, "healthcare", 4,
               (("Dr. Lena Okafor", "Practice Owner", "lena@cedarridge.example"),),
               (0.48, 0.60)),
)


def load_library() -> list[dict[str, Any]]:
    text = resources.files("runtime").joinpath("demo_data/standards_library.json").read_text()
    return list(json.loads(text)["standards"])


def load_demo(bus: CommandBus, now: datetime | None = None) -> dict[str, UUID]:
    """Record the demo library and clients; returns client ids by row code (A, B, C).

    A completed load is recognised and left alone; a load interrupted the same day resumes."""
    loaded = _loaded_client_ids(bus)
    if loaded is not None:
        return loaded
    now = (now or datetime.now(UTC)).replace(hour=9, minute=0, second=0, microsecond=0)
    committee = Actor(DEMO_TENANT, "sam.committee", "committee")
    vcio = Actor(DEMO_TENANT, "vera.vcio", "vcio")
    tam = Actor(DEMO_TENANT, "theo.tam", "tam")
    standards: list[tuple[UUID, dict[str, Any]]] = []
    for item in load_library():
        fields = {k: item[k] for k in ("key", "category", "question", "expected_answer",
                                       "how_to_check", "why_it_matters", "priority",
                                       "review_frequency", "authority_references")}
        result = bus.handle(standard_commands.DraftStandard(**fields, publish=True), committee,
            idempotency_key=f"demo:standard:{item['key']}")
        standards.append((result.aggregate_id, item))
    client_ids: dict[str, UUID] = {}
    for demo in DEMO_CLIENTS:
        client_ids[demo.code] = _load_client(bus, vcio, tam, demo, standards, now)
    return client_ids


def _loaded_client_ids(bus: CommandBus) -> dict[str, UUID] | None:
    last = DEMO_CLIENTS[-1]
    marker = f"demo:client:{last.code}:strategy:touch:office"
    if bus.ledger.command_log.find_command(DEMO_TENANT, marker) is None:
        return None
    found = {demo.code: bus.ledger.command_log.find_command(DEMO_TENANT, f"demo:client:{demo.code}")
             for demo in DEMO_CLIENTS}
    return {code: entry.result.aggregate_id for code, entry in found.items() if entry is not None}


def _load_client(bus: CommandBus, vcio: Actor, tam: Actor,
                 demo: DemoClient, standards: list[tuple[UUID, dict[str, Any]]],
                 now: datetime) -> UUID:
    key = f"demo:client:{demo.code}"
    client_id = bus.handle(client_commands.OnboardClient(
        name=demo.name, mrr=demo.mrr, user_count=demo.user_count, complexity=demo.complexity,
        industry=demo.industry, fiscal_year_start_month=demo.fiscal_year_start_month,
        vcio=vcio.name, tam=tam.name), vcio, idempotency_key=key).aggregate_id
    decision_makers: list[UUID] = []
    for number, (name, title, email) in enumerate(demo.decision_makers):
        added = bus.handle(client_commands.AddDecisionMaker(
            client_id=client_id, name=name, title=title, email=email),
            vcio, idempotency_key=f"{key}:dm:{number}")
        assert added.created_id is not None  # adding a person always names them
        decision_makers.append(added.created_id)
    rng = random.Random(f"vcio-demo-{demo.code}")
    misaligned: set[UUID] = set()
    reviews = len(demo.alignment_by_review)
    for number, target in enumerate(demo.alignment_by_review):
        completed_at = now - timedelta(days=120 * (reviews - number))
        _complete_review(bus, vcio, tam, client_id, f"{key}:review:{number}", standards,
                         target, rng, misaligned, completed_at)
    load_strategy(bus, vcio, client_id, demo.code, decision_makers, now)
    return client_id


def _chance_aligned(standard_id: UUID, misaligned: set[UUID], target: float, first: bool) -> float:
    """Alignment improves gradually: most gaps found earlier get fixed, a few new ones appear."""
    if first:
        return target
    return 0.45 + target / 4 if standard_id in misaligned else 0.97


def _complete_review(bus: CommandBus, vcio: Actor, tam: Actor, client_id: UUID, key: str,
                     standards: list[tuple[UUID, dict[str, Any]]], target: float,
                     rng: random.Random, misaligned: set[UUID], completed_at: datetime) -> None:
    started_at = completed_at - timedelta(days=6)
    review_id = bus.handle(review_commands.StartReview(
        client_id=client_id, started_at=started_at), tam, started_at, key).created_id
    assert review_id is not None  # start_review always names the new review
    answers: list[review_commands.AnswerInput] = []
    answers_seen = bool(misaligned)
    for standard_id, item in standards:
        expected = item["expected_answer"]
        if rng.random() < 0.04:
            answer = "not_applicable"
        elif rng.random() < _chance_aligned(standard_id, misaligned, target, first=not answers_seen):
            answer = expected
        else:
            answer = "no" if expected == "yes" else "yes"
        (misaligned.add if answer not in (expected, "not_applicable") else misaligned.discard)(standard_id)
        answers.append(review_commands.AnswerInput(
            standard_id=standard_id, answer=Answer(answer), observed_at=started_at + timedelta(days=1),
            note="" if answer == expected else "Found during on-site review"))
    bus.handle(review_commands.RecordAnswers(
        client_id=client_id, review_id=review_id, answers=answers), tam, started_at, f"{key}:answers")
    for (standard_id, item), given in zip(standards, answers, strict=True):
        if given.answer.value not in (item["expected_answer"], "not_applicable"):
            rating = "highly_vulnerable" if item["priority"] == "high" else "marginal"
            bus.handle(review_commands.RateAnswer(
                client_id=client_id, review_id=review_id, standard_id=standard_id, rating=Rating(rating)),
                vcio, idempotency_key=f"{key}:rating:{item['key']}")
    bus.handle(review_commands.CompleteReview(
        client_id=client_id, review_id=review_id, completed_at=completed_at),
        vcio, completed_at, f"{key}:complete")
