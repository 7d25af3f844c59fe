"""Events are stored forever, so the fast writer must store exactly what the library would.

The PostgreSQL ledger encodes event states with ``FastJSONTranscoder``, through the shaped
state writers of ``runtime.event_mapper:FastMapper``; the in-memory ledger keeps the library's
``JSONTranscoder`` and ``Mapper``. Both are built by the same ``Ledger`` (same registered
transcodings), and every state must come out byte for byte the same.
"""

from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate
from hypothesis import given
from hypothesis import strategies as st

from commands.ledger import Ledger
from events.vocabulary import ALL_ENUMS, Answer
from tests.unit.scenario import Scenario

LIBRARY = {"PERSISTENCE_MODULE": "runtime.event_store:InMemoryLedgerFactory"}
FAST = {**LIBRARY, "TRANSCODER_TOPIC": "runtime.event_store:FastJSONTranscoder",
        "MAPPER_TOPIC": "runtime.event_mapper:FastMapper"}


@pytest.fixture(scope="module")
def ledgers() -> Iterator[tuple[Ledger, Ledger]]:
    library, fast = Ledger(env=LIBRARY), Ledger(env=FAST)
    yield library, fast
    library.close()
    fast.close()


@pytest.fixture(scope="module")
def transcoders(ledgers: tuple[Ledger, Ledger]) -> tuple[Any, Any]:
    return ledgers[0].mapper.transcoder, ledgers[1].mapper.transcoder


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.uuids(),
    st.decimals(allow_nan=False, allow_infinity=False), st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5))])),
    st.one_of(*[st.sampled_from(list(enum)) for enum in ALL_ENUMS]),
)
STATES = st.dictionaries(TEXT, st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(TEXT, st.integers()), inner, max_size=4)),
    max_leaves=20), max_size=8)


@given(state=STATES)
def test_the_fast_writer_stores_the_same_bytes_as_the_library(
        transcoders: tuple[Any, Any], state: dict[str, Any]) -> None:
    library, fast = transcoders

    assert fast.encode(state) == library.encode(state)


class Probe(Aggregate.Event):
    """An event whose attributes are whatever a test gives it."""


@given(state=STATES)
def test_the_shaped_mapper_stores_the_same_bytes_as_the_library(
        ledgers: tuple[Ledger, Ledger], state: dict[str, Any]) -> None:
    library, fast = (ledger.mapper for ledger in ledgers)
    event = object.__new__(Probe)
    object.__setattr__(event, "__dict__", {"originator_id": uuid4(), "originator_version": 1,
                                           **state})

    assert stored_or_refused(fast, event) == stored_or_refused(library, event)


def stored_or_refused(mapper: Any, event: Any) -> Any:
    try:
        return mapper.to_stored_event(event)
    except Exception as error:  # noqa: BLE001 - a state both refuse must be refused alike
        return f"{type(error).__name__}: {error}"


def test_every_event_of_a_review_is_stored_the_same_by_both_writers(
        transcoders: tuple[Any, Any], scenario: Scenario) -> None:
    library, fast = transcoders
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.NO})
    stored = [e for originator in (standard, client)
              for e in scenario.ledger.recorder.select_events(originator)]

    states = [library.decode(e.state) for e in stored]

    assert [fast.encode(s) for s in states] == [e.state for e in stored]
