"""A save's events mapped in one go are stored exactly as the library's mapper stores each.

``FastMapper.to_stored_events`` looks an event's shape up only when it changes, and its state
writers write a datetime from the text of the last one written in the same second of the
same zone; both must give the library's bytes whatever comes in what order.
"""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import Mapper
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.event_mapper import FastMapper
from tests.unit.mapper_pair import answer, mapper_pair

ZONES = [None, UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=1, seconds=7)),
         ZoneInfo("America/New_York")]


mappers = pytest.fixture(scope="module")(mapper_pair)



def reordered(event: Any) -> Any:
    """The same event with its attributes in reverse order."""
    other = object.__new__(type(event))
    object.__setattr__(other, "__dict__", dict(reversed(list(vars(event).items()))))
    return other


# Stamps close together (many in the same second, some on a whole second) in changing zones.
STAMPS = st.lists(st.tuples(st.integers(0, 2_500_000), st.sampled_from(ZONES)), max_size=12).map(
    lambda steps: [datetime(2026, 3, 8, 6, 59, 58, tzinfo=zone) + timedelta(microseconds=step)
                   for step, zone in steps])


@settings(max_examples=300)
@given(stamps=STAMPS)
def test_datetimes_written_one_after_another_are_each_written_as_the_library_writes_them(
        mappers: tuple[Mapper[Any], FastMapper], stamps: list[datetime]) -> None:
    library, fast = mappers
    events = [answer(timestamp=stamp, originator_version=n) for n, stamp in enumerate(stamps)]

    stored = fast.to_stored_events(events)

    assert stored == [library.to_stored_event(e) for e in events]


def test_a_datetime_in_the_same_second_as_the_last_keeps_its_own_microseconds_and_zone(
        mappers: tuple[Mapper[Any], FastMapper]) -> None:
    library, fast = mappers
    first = datetime(2026, 5, 6, 7, 8, 9, 500_000, tzinfo=UTC)
    events = [answer(timestamp=stamp) for stamp in (
        first, first.replace(microsecond=0), first.replace(microsecond=999_999),
        first.astimezone(timezone(timedelta(hours=2))), first.replace(tzinfo=None))]

    stored = fast.to_stored_events(events)

    assert [s.state for s in stored] == [library.to_stored_event(e).state for e in events]
    assert b'"timestamp":{"_type_":"datetime_iso","_data_":"2026-05-06T07:08:09+00:00"}' \
        in stored[1].state


def test_an_hour_that_comes_twice_is_written_with_the_offset_of_each_time_it_comes(
        mappers: tuple[Mapper[Any], FastMapper]) -> None:
    library, fast = mappers
    first = datetime(2026, 11, 1, 1, 30, 0, 100, tzinfo=ZoneInfo("America/New_York"))
    events = [answer(timestamp=first), answer(timestamp=first.replace(fold=1, microsecond=200))]

    stored = fast.to_stored_events(events)

    assert [s.state for s in stored] == [library.to_stored_event(e).state for e in events]
    assert b'"2026-11-01T01:30:00.000200-05:00"' in stored[1].state


def test_datetimes_in_the_last_second_there_is_are_each_written_as_the_library_writes_them(
        mappers: tuple[Mapper[Any], FastMapper]) -> None:
    library, fast = mappers
    events = [answer(timestamp=datetime.max.replace(tzinfo=UTC, microsecond=us))
              for us in (0, 1, 999_999)]

    stored = fast.to_stored_events(events)

    assert stored == [library.to_stored_event(e) for e in events]


EVENTS = st.lists(st.sampled_from(["usual", "reordered", "odd note", "naive stamp"]),
                  max_size=8).map(lambda kinds: [
                      {"usual": answer, "reordered": lambda: reordered(answer()),
                       "odd note": lambda: answer(note=[1, {"a": None}]),
                       "naive stamp": lambda: answer(timestamp=datetime(2026, 1, 1))}[kind]()
                      for kind in kinds])


@given(events=EVENTS)
def test_events_of_several_shapes_mapped_together_are_stored_as_the_library_stores_each(
        mappers: tuple[Mapper[Any], FastMapper], events: list[Any]) -> None:
    library, fast = mappers

    stored = fast.to_stored_events(events)

    assert stored == [library.to_stored_event(e) for e in events]


def test_an_event_no_transcoding_can_write_fails_the_batch_as_the_library_fails_it(
        mappers: tuple[Mapper[Any], FastMapper]) -> None:
    library, fast = mappers
    events = [answer(), answer(note=object()), answer()]

    with pytest.raises(Exception) as ours:  # noqa: PT011 - the library's error, whatever it is
        fast.to_stored_events(events)
    with pytest.raises(Exception) as theirs:  # noqa: PT011
        library.to_stored_event(events[1])

    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_events_mapped_together_are_compressed_when_the_mapper_is_configured_to(
        mappers: tuple[Mapper[Any], FastMapper]) -> None:
    library, fast = mappers
    sealed = FastMapper(fast.transcoder, compressor=ZlibCompressor())
    events = [answer(), answer()]

    stored = sealed.to_stored_events(events)

    assert [ZlibCompressor().decompress(s.state) for s in stored] == [
        library.to_stored_event(e).state for e in events]
