"""The fast mapper reads every stored state back exactly as the library's mapper reads it.

The reference is the library's ``Mapper.to_domain_event`` with the same transcoder; the fast
mapper decodes by a schema learned from the first state of each topic
(``runtime.event_reader``) and leaves whatever does not fit it to the library's code. Equal
means the same class, the same attributes with equal values, in the same order.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import Mapper, StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.ledger import Ledger
from events.vocabulary import Answer
from runtime.event_mapper import FastMapper
from tests.unit.mapper_pair import FAST, answer
from tests.unit.test_event_mapper import CLASSES, IdAsText, events_of

fast_mapper = pytest.fixture(scope="module")(lambda: Ledger(env=FAST).mapper)


def read(mapper: FastMapper, stored: StoredEvent) -> tuple[str, Any]:
    """What the mapper makes of ``stored``: the event's class and attributes, or the error."""
    try:
        event = mapper.to_domain_event(stored)
    except Exception as error:  # noqa: BLE001 - a state both refuse must be refused alike
        return "error", f"{type(error).__name__}: {error}"
    return type(event).__qualname__, list(vars(event).items())


def by_library(mapper: FastMapper, stored: StoredEvent) -> tuple[str, Any]:
    try:
        event = Mapper.to_domain_event(mapper, stored)
    except Exception as error:  # noqa: BLE001
        return "error", f"{type(error).__name__}: {error}"
    return type(event).__qualname__, list(vars(event).items())


def restated(stored: StoredEvent, state: bytes) -> StoredEvent:
    return StoredEvent(stored.originator_id, stored.originator_version, stored.topic, state)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture])
@given(events=st.sampled_from(CLASSES).flatmap(lambda cls: st.lists(events_of(cls), min_size=2,
                                                                     max_size=2)))
def test_an_event_of_any_class_is_read_back_as_the_library_reads_it(
        fast_mapper: FastMapper, events: list[Any]) -> None:
    # The first of a class teaches its topic's schema; the second, with other values (of
    # other kinds, some of them), is read by it or left to the library's code.
    for event in events:
        try:
            stored = fast_mapper.to_stored_event(event)
        except Exception:  # noqa: BLE001 - a value the library refuses to store: nothing to read
            continue

        assert read(fast_mapper, stored) == by_library(fast_mapper, stored)


def test_a_state_that_fits_its_topic_s_schema_is_read_without_the_library_s_decoder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    mapper = Ledger(env=FAST).mapper
    assert isinstance(mapper, FastMapper)
    first, second = (mapper.to_stored_event(answer()) for _ in range(2))
    mapper.to_domain_event(first)
    decoded: list[bytes] = []
    library_decode = type(mapper.transcoder).decode
    monkeypatch.setattr(type(mapper.transcoder), "decode",
                        lambda self, data: decoded.append(data) or library_decode(self, data))

    event = mapper.to_domain_event(second)

    assert decoded == []
    assert event == Mapper.to_domain_event(mapper, second)


@pytest.mark.parametrize("state", [
    b'"note":{"_type_":"uuid_hex","_data_":"00000000000000000000000000000001"}',  # another kind
    b'"note":100000000000000000000000000000',  # past 64 bits: msgspec refuses, json takes
    b'"note":NaN',
    b'"note":"\\ud800"',  # a lone surrogate
    b'"note":[{"_type_":"decimal_str","_data_":"1.50"},{"a":1}]',
    b'"note":"a\\u0000b"',  # NUL: replaced by U+FFFD on either way
    b'"note":{"_type_":"nobody_registered_this","_data_":"x"}',
    b'"note":"x","extra":1',  # a key more
])
def test_a_state_that_does_not_fit_is_read_or_refused_as_the_library_does(
        fast_mapper: FastMapper, state: bytes) -> None:
    usual = fast_mapper.to_stored_event(answer())
    fast_mapper.to_domain_event(usual)  # the schema: note is text
    odd = restated(usual, usual.state.replace(b'"note":"checked \\"on\\" site\\n"', state))
    assert odd.state != usual.state

    assert read(fast_mapper, odd) == by_library(fast_mapper, odd)


@pytest.mark.parametrize("state", [b'{"timestamp":', b"[]", b'{"by":"tam"}', b"\xff\xfe"])
def test_a_state_that_cannot_be_an_event_is_refused_with_the_library_s_error(
        fast_mapper: FastMapper, state: bytes) -> None:
    stored = restated(fast_mapper.to_stored_event(answer()), state)

    outcome = read(fast_mapper, stored)

    assert outcome == by_library(fast_mapper, stored)
    assert outcome[0] == "error"


def test_a_topic_first_seen_with_a_broken_state_gets_its_reader_from_the_next_one() -> None:
    mapper = Ledger(env=FAST).mapper
    assert isinstance(mapper, FastMapper)
    usual = mapper.to_stored_event(answer())
    with pytest.raises(Exception):  # noqa: B017 - the library's own error, whatever it is
        mapper.to_domain_event(restated(usual, b"{broken"))

    event = mapper.to_domain_event(usual)

    assert event == Mapper.to_domain_event(mapper, usual)
    assert mapper.transcoder.event_readers[usual.topic] is not None  # type: ignore[attr-defined]


def test_a_transcoding_registered_after_states_were_read_applies_to_the_next_ones() -> None:
    mapper = Ledger(env=FAST).mapper
    mapper.to_domain_event(mapper.to_stored_event(answer()))
    mapper.transcoder.register(IdAsText())  # type: ignore[attr-defined]
    stored = mapper.to_stored_event(answer(review_id=UUID(int=1)))

    event = mapper.to_domain_event(stored)

    assert b'"_type_":"id_text"' in stored.state
    assert event.review_id == UUID(int=1)  # type: ignore[attr-defined]


def test_an_older_class_version_is_upcast_as_the_library_upcasts_it(
        fast_mapper: FastMapper) -> None:
    current = fast_mapper.to_stored_event(answer())
    fast_mapper.to_domain_event(current)
    older = restated(current, current.state.replace(b',"class_version":2', b""))
    assert older.state != current.state

    event = fast_mapper.to_domain_event(older)

    assert list(vars(event).items()) == by_library(fast_mapper, older)[1]


def test_events_of_one_review_read_back_share_the_ids_and_answers_they_name(
        fast_mapper: FastMapper) -> None:
    review = uuid4()
    stored = [fast_mapper.to_stored_event(answer(review_id=review, answer=Answer.NO,
                                                 timestamp=datetime.now(UTC)))
              for _ in range(3)]

    events = [fast_mapper.to_domain_event(s) for s in stored]

    assert {e.review_id for e in events} == {review}  # type: ignore[attr-defined]
    assert all(e.answer is Answer.NO for e in events)  # type: ignore[attr-defined]
