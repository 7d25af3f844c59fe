"""The shaped mapper stores every event exactly as the library's mapper would.

The PostgreSQL ledger maps events with ``runtime.event_mapper:FastMapper`` (a state writer
generated per event class); the reference is the library's ``Mapper`` with the library's
``JSONTranscoder``, both given the ledger's transcodings. Events of every class in the domain
are built from their annotations, with values of other types than the annotations say too, so
the writers' type checks and their fallback to the library are exercised as well.
"""

import importlib
import pkgutil
import types
import typing
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.domain import CanMutateAggregate, DomainEvent
from eventsourcing.persistence import Mapper, StoredEvent, Transcoding
from eventsourcing.utils import Environment, resolve_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aggregates
from commands.ledger import Ledger
from events.vocabulary import Answer
from runtime.event_mapper import FastMapper
from tests.unit.mapper_pair import FAST, LIBRARY, answer, mapper_pair

mappers = pytest.fixture(scope="module")(mapper_pair)


def event_classes() -> list[type]:
    """Every event class of the domain (the aggregates' own, as they are stored)."""
    for module in pkgutil.iter_modules(aggregates.__path__):
        importlib.import_module(f"aggregates.{module.name}")
    found: set[type] = set()
    todo: list[type] = [DomainEvent]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    # Only classes found under their own name: the library's @event makes classes it does not
    # store under the same name.
    return sorted((c for c in found if issubclass(c, CanMutateAggregate)
                   and c.__module__.startswith(("aggregates.", "events."))
                   and resolve_topic(f"{c.__module__}:{c.__qualname__}") is c),
                  key=lambda c: (c.__module__, c.__qualname__))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=6)


def values_of(hint: Any) -> st.SearchStrategy[Any]:
    """Values for an annotation (hypothesis cannot resolve ``Any``, found inside some)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return JSON
    if typing.is_typeddict(hint):
        return st.fixed_dictionaries({k: values_of(v)
                                      for k, v in typing.get_type_hints(hint).items()})
    if origin in (list, tuple) and args:
        return st.lists(values_of(args[0]), max_size=3)
    if origin is dict and args:
        return st.dictionaries(values_of(args[0]), values_of(args[1]), max_size=3)
    if origin in (typing.Union, types.UnionType) and args:
        return st.one_of(*[values_of(a) for a in args])
    return st.from_type(hint)


def events_of(cls: type) -> st.SearchStrategy[Any]:
    fields = {name: values_of(hint) for name, hint in typing.get_type_hints(cls).items()
              if name not in ("originator_id", "originator_version", "timestamp")
              and typing.get_origin(hint) is not typing.ClassVar}
    return st.builds(cls, originator_id=st.uuids(), originator_version=st.integers(1, 2**40),
                     timestamp=st.datetimes(timezones=st.sampled_from(
                         [UTC, timezone(timedelta(hours=-5))])), **fields)


CLASSES = event_classes()


def outcome(mapper: Mapper[Any], event: Any) -> StoredEvent | str:
    try:
        return mapper.to_stored_event(event)
    except Exception as error:  # noqa: BLE001 - an event both refuse must be refused alike
        return f"{type(error).__name__}: {error}"


def test_the_domain_s_event_classes_are_all_found() -> None:
    names = {c.__qualname__ for c in CLASSES}

    assert {"Client.AnswerRecorded", "Standard.StandardRevised", "Client.ClientOnboarded"} <= names


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(event=st.sampled_from(CLASSES).flatmap(events_of))
def test_an_event_of_any_class_is_stored_as_the_library_stores_it(
        mappers: tuple[Mapper[Any], Mapper[Any]], event: Any) -> None:
    library, fast = mappers

    assert outcome(fast, event) == outcome(library, event)


@settings(max_examples=200)
@given(state=st.fixed_dictionaries({"note": JSON | st.uuids() | st.datetimes(),
                                    "standard_revision": JSON, "answer": JSON | st.just(Answer.NO)}))
def test_an_answer_with_values_of_other_types_than_its_first_is_stored_as_the_library_stores_it(
        mappers: tuple[Mapper[Any], Mapper[Any]], state: dict[str, Any]) -> None:
    library, fast = mappers
    fast.to_stored_event(answer())  # its shape's writer is made for the usual types
    event = answer(**state)

    assert outcome(fast, event) == outcome(library, event)



def test_an_event_with_a_value_of_an_unregistered_type_is_refused_as_the_library_refuses_it(
        mappers: tuple[Mapper[Any], Mapper[Any]]) -> None:
    library, fast = mappers
    fast.to_stored_event(answer())
    event = answer(note=object())

    assert outcome(fast, event) == outcome(library, event)
    assert str(outcome(fast, event)).startswith("TranscodingNotRegisteredError")


def test_an_event_whose_attributes_come_in_another_order_is_stored_in_that_order(
        mappers: tuple[Mapper[Any], Mapper[Any]]) -> None:
    library, fast = mappers
    usual = answer()
    fast.to_stored_event(usual)
    reordered = object.__new__(type(usual))
    object.__setattr__(reordered, "__dict__", dict(reversed(list(vars(usual).items()))))

    stored = fast.to_stored_event(reordered)

    assert stored == library.to_stored_event(reordered)
    assert stored.state.startswith(b'{"by":"tam",')


def test_the_stored_state_is_compressed_and_encrypted_when_the_ledger_is_configured_to(
        mappers: tuple[Mapper[Any], Mapper[Any]]) -> None:
    library, fast = mappers
    key = AESCipher.create_key(16)
    cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))
    sealed = FastMapper(fast.transcoder, compressor=ZlibCompressor(), cipher=cipher)
    event = answer()

    stored = sealed.to_stored_event(event)

    assert ZlibCompressor().decompress(cipher.decrypt(stored.state)) == (
        library.to_stored_event(event).state)


def test_a_transcoding_registered_after_events_were_mapped_applies_to_the_next_ones() -> None:
    fast = Ledger(env=FAST).mapper
    fast.to_stored_event(answer())
    transcoder: Any = fast.transcoder
    transcoder.register(IdAsText())

    stored = fast.to_stored_event(answer(review_id=UUID(int=1)))

    assert b'"review_id":{"_type_":"id_text","_data_":"00000000-0000-0000-0000-000000000001"}' \
        in stored.state


class IdAsText(Transcoding):
    """A transcoding registered late, replacing the library's UUIDAsHex."""

    type = UUID
    name = "id_text"

    def encode(self, obj: UUID) -> str:
        return str(obj)

    def decode(self, data: str) -> UUID:
        return UUID(data)


def test_past_the_limit_of_shapes_an_event_is_mapped_by_the_library_s_own_code(
        mappers: tuple[Mapper[Any], Mapper[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    library, _ = mappers
    fast = Ledger(env=FAST).mapper
    monkeypatch.setattr("runtime.event_mapper.MAX_SHAPES", 0)
    event = answer()

    stored = fast.to_stored_event(event)

    assert stored == library.to_stored_event(event)
    assert fast.transcoder.event_writers == {}  # type: ignore[attr-defined]


def test_events_sharing_the_very_same_values_are_each_stored_as_the_library_stores_them(
        mappers: tuple[Mapper[Any], Mapper[Any]]) -> None:
    library, fast = mappers
    review, seen = uuid4(), datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    events = [answer(review_id=review if n % 3 else uuid4(), observed_at=seen if n % 2 else
                     datetime.now(UTC), answer=(Answer.YES, Answer.NO)[n % 2],
                     originator_version=n) for n in range(12)]

    stored = [fast.to_stored_event(e) for e in events]

    assert stored == [library.to_stored_event(e) for e in events]


class Tags:
    """A mutable value of a registered type: its text must never be remembered."""

    def __init__(self, *tags: str) -> None:
        self.tags = list(tags)


class TagsAsList(Transcoding):
    type = Tags
    name = "tags"

    def encode(self, obj: Tags) -> list[str]:
        return list(obj.tags)

    def decode(self, data: list[str]) -> Tags:
        return Tags(*data)


@pytest.mark.parametrize("first", [Tags("first"), datetime(2026, 1, 2, tzinfo=UTC)])
def test_a_mutable_value_changed_between_two_events_is_written_as_it_is_at_each(
        first: Any) -> None:
    library, fast = Ledger(env=LIBRARY), Ledger(env=FAST)
    for ledger in (library, fast):
        ledger.mapper.transcoder.register(TagsAsList())
    tags = Tags("a")
    fast.mapper.to_stored_event(answer(observed_at=first))  # the shape's writer is made
    fast.mapper.to_stored_event(answer(observed_at=tags))
    tags.tags.append("b")
    event = answer(observed_at=tags)

    stored = fast.mapper.to_stored_event(event)

    assert stored == library.mapper.to_stored_event(event)
    assert b'"observed_at":{"_type_":"tags","_data_":["a","b"]}' in stored.state
