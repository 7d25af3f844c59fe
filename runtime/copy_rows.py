"""Stored events as PostgreSQL binary ``COPY`` data, packed by hand into one buffer.

psycopg's ``Copy.write_row`` dumps each value through its adapter and appends it to its own
buffer, row by row; for a 300-event save that was about a tenth of the COPY's time. The events
table's four columns have fixed types, so their binary form is written here directly with
``struct``: the file header, then per row the field count (int16) and each field as its
length (int32) and bytes (a uuid's 16 bytes or a text id's UTF-8, the version as a big-endian
int8, the topic's UTF-8, the state as is), then the trailer. The bytes equal psycopg's
``write_row`` output for the same rows (tests/integration/test_copy_rows.py).

Anything outside that shape (another id column type, a connection encoding other than UTF-8,
a value of another Python type, a version outside int8) is not packed here: :func:`packed_rows`
answers None and the caller writes the rows with psycopg's ``write_row`` as before, so such an
event is stored, or refused, exactly as it was.
"""

import struct
from collections.abc import Iterator, Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent

# "PGCOPY\n\377\r\n\0", then the flags field and the header extension's length (both 0).
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"  # a field count of -1
CHUNK_BYTES = 128 * 1024  # psycopg's own largest single write (it splits larger ones)
ID_TYPES = ("uuid", "text")
_UUID_ROW = struct.Struct(">hi16siq").pack  # 4 fields; a 16-byte uuid; an 8-byte version
_TEXT_ID_ROW = struct.Struct(">hi").pack  # 4 fields; the text id's length
_VERSION = struct.Struct(">iq").pack  # an 8-byte version
_LENGTH = struct.Struct(">i").pack


def packed_rows(events: Sequence[StoredEvent], id_type: str, encoding: str) -> bytearray | None:
    """The whole binary COPY data of ``events`` (header, rows, trailer) for the columns
    ``(originator_id <id_type>, originator_version int8, topic text, state bytea)``, or None
    when a value or setting is outside what is packed here (see the module's text)."""
    if id_type not in ID_TYPES or encoding.replace("-", "").replace("_", "").lower() != "utf8":
        return None
    buffer = bytearray(HEADER)
    topics: dict[str, bytes] = {}  # a topic's length and UTF-8, written once per group
    originator: object = None
    id_bytes = b""
    try:
        for event in events:
            oid, version, topic, state = (event.originator_id, event.originator_version,
                                          event.topic, event.state)
            if type(version) is not int or type(topic) is not str or type(state) is not bytes:
                return None
            if id_type == "uuid":
                if type(oid) is not UUID:
                    return None
                if oid is not originator:
                    originator, id_bytes = oid, oid.bytes
                buffer += _UUID_ROW(4, 16, id_bytes, 8, version)
            else:
                if type(oid) is not str:
                    return None
                text_id = oid.encode()
                buffer += _TEXT_ID_ROW(4, len(text_id))
                buffer += text_id
                buffer += _VERSION(8, version)
            topic_field = topics.get(topic)
            if topic_field is None:
                encoded = topic.encode()
                topic_field = topics[topic] = _LENGTH(len(encoded)) + encoded
            buffer += topic_field
            buffer += _LENGTH(len(state))
            buffer += state
    except (struct.error, UnicodeEncodeError):  # a version outside int8, a lone surrogate
        return None
    buffer += TRAILER
    return buffer


def chunks(buffer: bytearray, size: int = CHUNK_BYTES) -> Iterator[memoryview]:
    """``buffer`` in consecutive slices of at most ``size`` bytes, without copying."""
    view = memoryview(buffer)
    for start in range(0, len(view), size):
        yield view[start:start + size]
