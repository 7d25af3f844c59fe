"""Which stored events are packed by hand for binary COPY, and how they are sent: the bytes
themselves are checked against psycopg's in tests/integration/test_copy_rows.py."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from runtime.copy_rows import HEADER, TRAILER, write_rows


class RecordedCopy:
    """A COPY that records what it is given."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.rows: list[tuple[Any, ...]] = []
        self.types: list[int | str] = []

    def write(self, buffer: Any) -> None:
        self.writes.append(bytes(buffer))

    def write_row(self, row: Sequence[Any]) -> None:
        self.rows.append(tuple(row))

    def set_types(self, types: Sequence[int | str]) -> None:
        self.types = list(types)


def events(count: int, **change: Any) -> list[StoredEvent]:
    originator = uuid4()
    return [StoredEvent(**{"originator_id": originator, "originator_version": n,
                           "topic": "tests:Plain", "state": b"x" * 600, **change})
            for n in range(1, count + 1)]


def test_rows_are_sent_as_they_are_packed_each_piece_at_least_a_chunk_but_the_last() -> None:
    copy = RecordedCopy()

    write_rows(copy, events(10), "uuid", "utf-8", chunk_bytes=1000)

    assert len(copy.writes) == 6
    assert all(len(piece) >= 1000 for piece in copy.writes[:-1])
    assert copy.writes[0].startswith(HEADER)
    assert copy.writes[-1].endswith(TRAILER)
    assert copy.rows == []


def test_from_an_event_outside_the_packed_shape_on_psycopg_writes_the_rows() -> None:
    copy = RecordedCopy()
    given = events(5)
    given[3] = StoredEvent(originator_id=given[3].originator_id, originator_version=4,
                           topic="tests:Plain", state=bytearray(b"{}"))  # type: ignore[arg-type]

    write_rows(copy, given, "uuid", "utf-8")

    assert copy.rows == [(e.originator_id, e.originator_version, e.topic, e.state)
                         for e in given[3:]]
    assert copy.types == ["uuid", "int8", "text", "bytea"]
    assert len(copy.writes) == 1
    assert not copy.writes[0].endswith(TRAILER)  # psycopg ends the data it wrote rows into


@pytest.mark.parametrize("change", [
    {"originator_version": 2 ** 63}, {"originator_version": True}, {"topic": b"tests:Plain"},
    {"topic": "tests:\udc80"}, {"originator_id": "not-a-uuid-object"},
    {"originator_id": UUID(int=1).hex}, {"state": memoryview(b"{}")}])
def test_a_value_outside_the_packed_shape_is_left_to_psycopg(change: dict[str, Any]) -> None:
    copy = RecordedCopy()

    write_rows(copy, events(1, **change), "uuid", "utf-8")

    assert len(copy.rows) == 1
    assert copy.writes == []


@pytest.mark.parametrize(("id_type", "encoding"), [("uuid", "latin-1"), ("bigint", "utf-8")])
def test_a_column_type_or_encoding_outside_the_packed_shape_is_left_to_psycopg(
        id_type: str, encoding: str) -> None:
    copy = RecordedCopy()

    write_rows(copy, events(3), id_type, encoding)

    assert len(copy.rows) == 3
    assert copy.types == [id_type, "int8", "text", "bytea"]
    assert copy.writes == []
