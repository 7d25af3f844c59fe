"""The library's mapper and the fast one side by side, and an answer to map with both."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import Mapper

from aggregates.client import Client
from commands.ledger import Ledger
from events.vocabulary import Answer, ExpectedAnswer
from runtime.event_mapper import FastMapper

LIBRARY = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory"}
FAST = {**LIBRARY, "TRANSCODER_TOPIC": "runtime.transcoder:FastJSONTranscoder",
        "MAPPER_TOPIC": "runtime.event_mapper:FastMapper"}


def mapper_pair() -> Iterator[tuple[Mapper[Any], FastMapper]]:
    """(the library's mapper, the fast mapper), each of a ledger of its own (a fixture's body)."""
    library, fast = Ledger(env=LIBRARY), Ledger(env=FAST)
    assert isinstance(fast.mapper, FastMapper)
    yield library.mapper, fast.mapper
    library.close()
    fast.close()


def answer(**changes: Any) -> Any:
    """An answer with text that needs escaping, with ``changes`` to its attributes."""
    fields = {"originator_id": uuid4(), "originator_version": 7, "timestamp": datetime.now(UTC),
              "tenant": "msp", "review_id": uuid4(), "standard_id": uuid4(),
              "standard_revision": 2, "expected_answer": ExpectedAnswer.YES,
              "answer": Answer.YES, "note": "checked \"on\" site\n", "observed_at":
              datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "by": "tam", **changes}
    return Client.AnswerRecorded(**fields)
