"""Stored events as PostgreSQL binary ``COPY`` data, packed by hand and sent as it is packed.

psycopg's ``Copy.write_row`` dumps each value through its adapter and appends it to its own
buffer, row by row. The events table's four columns have fixed types, so their binary form is
written here directly with ``struct``: the file header, then per row the field count (int16)
and each field as its length (int32) and bytes (a uuid's 16 bytes or a text id's UTF-8, the
version as a big-endian int8, the topic's UTF-8, the state as is), then the trailer; sent
every ``CHUNK_BYTES``. The bytes equal psycopg's ``write_row`` output for the same rows
(tests/integration/test_copy_rows.py).

Anything outside that shape (another id column type, a connection encoding other than UTF-8,
a value of another Python type, a version outside int8) is not packed here: from that event on
the rows are written by psycopg's ``write_row``, so such an event is stored, or refused,
exactly as it was.
"""

import struct
from collections.abc import Iterator, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.abc import Buffer

# "PGCOPY\n\377\r\n\0", then the flags field and the header extension's length (both 0).
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"  # a field count of -1
CHUNK_BYTES = 32 * 1024  # as psycopg's write_row sends them: the server starts on the first
ID_TYPES = ("uuid", "text")
_UUID_ROW = struct.Struct(">hi16siq").pack  # 4 fields; a 16-byte uuid; an 8-byte version
_TEXT_ID_ROW = struct.Struct(">hi").pack  # 4 fields; the text id's length
_VERSION = struct.Struct(">iq").pack  # an 8-byte version
_LENGTH = struct.Struct(">i").pack


class CopyIn(Protocol):
    """What is used of psycopg's ``Copy`` (a binary ``COPY ... FROM STDIN``)."""

    def write(self, buffer: Buffer) -> None: ...

    def write_row(self, row: Sequence[Any]) -> None: ...

    def set_types(self, types: Sequence[int | str]) -> None: ...


def packable(id_type: str, encoding: str) -> bool:
    """Whether rows with an ``id_type`` id on a connection of ``encoding`` can be packed here."""
    return id_type in ID_TYPES and encoding.replace("-", "").replace("_", "").lower() == "utf8"


class PackedRows:
    """The binary COPY data of ``events`` (ids of a :func:`packable` ``id_type``), packed by
    hand as it is iterated, in chunks of about ``chunk_bytes``. Iterated to the end, ``packed``
    tells how many events it holds: all of them (the data then ends with the trailer), or those
    before the first event outside the packed shape (the data is then unfinished: the caller
    writes the rest another way)."""

    def __init__(self, events: Sequence[StoredEvent], id_type: str,
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        self.events, self.id_type, self.chunk_bytes = events, id_type, chunk_bytes
        self.packed = 0

    def __iter__(self) -> Iterator[bytearray]:
        buffer = bytearray(HEADER)
        topics: dict[str, bytes] = {}  # a topic's length and UTF-8, written once per group
        originator: object = None
        id_bytes = b""
        uuid_ids = self.id_type == "uuid"
        for n, event in enumerate(self.events):
            oid, version, topic, state = (event.originator_id, event.originator_version,
                                          event.topic, event.state)
            try:
                if type(version) is not int or type(topic) is not str or type(state) is not bytes:
                    raise TypeError(event)
                if uuid_ids:
                    if type(oid) is not UUID:
                        raise TypeError(event)
                    if oid is not originator:
                        originator, id_bytes = oid, oid.bytes
                    row = _UUID_ROW(4, 16, id_bytes, 8, version)
                else:
                    if type(oid) is not str:
                        raise TypeError(event)
                    text_id = oid.encode()
                    row = _TEXT_ID_ROW(4, len(text_id)) + text_id + _VERSION(8, version)
                topic_field = topics.get(topic)
                if topic_field is None:
                    encoded = topic.encode()
                    topic_field = topics[topic] = _LENGTH(len(encoded)) + encoded
            except (TypeError, struct.error, UnicodeEncodeError):
                # Not packed here (an odd type, a version outside int8, a lone surrogate).
                self.packed = n
                if n:
                    yield buffer
                return
            buffer += row
            buffer += topic_field
            buffer += _LENGTH(len(state))
            buffer += state
            if len(buffer) >= self.chunk_bytes:
                yield buffer
                buffer = bytearray()
        self.packed = len(self.events)
        buffer += TRAILER
        yield buffer


def write_rows(copy: CopyIn, events: Sequence[StoredEvent], id_type: str, encoding: str,
               chunk_bytes: int = CHUNK_BYTES) -> None:
    """Write ``events`` to ``copy`` as rows of ``(originator_id <id_type>, originator_version
    int8, topic text, state bytea)``: packed by hand and sent every ``chunk_bytes`` (so the
    server inserts the first rows while the next are packed); from the first event
    outside the packed shape on, by psycopg's ``write_row``, which then also ends the data,
    and writes that event and the rest, or refuses them, as it always did. The bytes sent are
    psycopg's either way."""
    if not packable(id_type, encoding):
        return write_by_psycopg(copy, events, id_type)
    rows = PackedRows(events, id_type, chunk_bytes)
    for chunk in rows:
        copy.write(chunk)
    if rows.packed < len(events):
        write_by_psycopg(copy, events[rows.packed:], id_type)
    return None


def write_by_psycopg(copy: CopyIn, events: Sequence[StoredEvent], id_type: str) -> None:
    """Write ``events`` with psycopg's own ``write_row``."""
    copy.set_types([id_type, "int8", "text", "bytea"])
    for e in events:
        copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))
