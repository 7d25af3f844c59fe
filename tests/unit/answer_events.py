"""Answer events built by hand, for tests of how events are stored."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from aggregates.client import Client
from events.vocabulary import Answer, ExpectedAnswer


def answers(originator: UUID, count: int, bad_at: int | None = None) -> list[Any]:
    """``count`` answer events of one client; the one at ``bad_at`` carries a value of a type
    no transcoding is registered for."""
    return [Client.AnswerRecorded(
        originator_id=originator, originator_version=n + 1, timestamp=datetime.now(UTC),
        tenant="msp", review_id=originator, standard_id=uuid4(), standard_revision=1,
        expected_answer=ExpectedAnswer.YES, answer=Answer.NO,
        note=object() if n == bad_at else f"checked \"{n}\" on site", observed_at=datetime(
            2026, 1, 2, tzinfo=UTC), by="tam") for n in range(count)]
