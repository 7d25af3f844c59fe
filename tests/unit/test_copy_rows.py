"""Which stored events are packed by hand for binary COPY, and how the buffer is sent: the
bytes themselves are checked against psycopg's in tests/integration/test_copy_rows.py."""

from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from runtime.copy_rows import chunks, packed_rows


def test_the_packed_buffer_is_sent_in_chunks_that_join_to_the_whole_buffer() -> None:
    buffer = bytearray(range(256)) * 1000

    pieces = list(chunks(buffer, size=1000))

    assert [len(p) for p in pieces] == [1000] * 256
    assert b"".join(pieces) == buffer


@pytest.mark.parametrize("change", [
    {"originator_version": 2 ** 63}, {"originator_version": True}, {"topic": b"tests:Plain"},
    {"topic": "tests:\udc80"}, {"originator_id": "not-a-uuid-object"},
    {"originator_id": UUID(int=1).hex}])
def test_a_value_outside_the_packed_shape_is_left_to_psycopg(change: dict[str, Any]) -> None:
    event = StoredEvent(**{"originator_id": uuid4(), "originator_version": 1,
                           "topic": "tests:Plain", "state": b"{}", **change})

    assert packed_rows([event], "uuid", "utf-8") is None


@pytest.mark.parametrize(("id_type", "encoding"), [("uuid", "latin-1"), ("bigint", "utf-8")])
def test_a_column_type_or_encoding_outside_the_packed_shape_is_left_to_psycopg(
        id_type: str, encoding: str) -> None:
    event = StoredEvent(originator_id=uuid4(), originator_version=1, topic="t:T", state=b"{}")

    assert packed_rows([event], id_type, encoding) is None
