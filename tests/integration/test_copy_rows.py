"""Rows packed by hand for binary COPY are the bytes psycopg's ``write_row`` sends, and hostile
events go in by COPY and read back exactly as they were saved."""

from typing import Any
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from psycopg.abc import Buffer

from runtime.copy_rows import write_rows
from runtime.database import Database
from tests.integration.test_copy_write import counted_copies

pytestmark = pytest.mark.integration

MEGABYTE = 1024 * 1024


class Captured(psycopg.copy.Writer):
    """A COPY writer that keeps what psycopg would send instead of sending it."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: Buffer) -> None:
        self.data += data


def psycopg_rows(database: Database, id_type: str, events: list[StoredEvent]) -> bytes:
    """The binary COPY data psycopg's ``write_row`` makes of these events (nothing is sent)."""
    captured = Captured()
    with database.connect() as conn, conn.cursor() as cur:
        copy = psycopg.Copy(cur, binary=True, writer=captured)
        copy.set_types([id_type, "int8", "text", "bytea"])
        for e in events:
            copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))
        copy.finish(None)
    return bytes(captured.data)


def hostile_events(originator: Any) -> list[StoredEvent]:
    """Events with an empty state, a 1 MB state, a unicode topic and NUL bytes in the state,
    and several topics and originators interleaved."""
    states = [b"", b"\x00" * 7 + b'{"a":1}\x00', bytes(range(256)) * (MEGABYTE // 256),
              '{"note":"ünïcødé ✓ 𝄞"}'.encode(), b"{}"]
    topics = ["tests:Plain", "tests.ünïcode:Ḿodel.Évent✓", "tests:Plain"]
    return [StoredEvent(originator_id=originator, originator_version=version,
                        topic=topics[version % len(topics)], state=states[version % len(states)])
            for version in range(1, 41)]


def packed_by_hand(database: Database, id_type: str, events: list[StoredEvent]) -> bytes:
    """The binary COPY data :func:`runtime.copy_rows.write_rows` sends (nothing is sent)."""
    captured = Captured()
    with database.connect() as conn, conn.cursor() as cur:
        copy = psycopg.Copy(cur, binary=True, writer=captured)
        write_rows(copy, events, id_type, conn.info.encoding, chunk_bytes=4096)
        copy.finish(None)
    return bytes(captured.data)


@pytest.mark.parametrize(("id_type", "originator"), [
    ("uuid", uuid4()), ("text", "client-ünïcode-1")])
def test_rows_packed_by_hand_are_the_bytes_psycopg_writes_row_by_row(
        database: Database, id_type: str, originator: Any) -> None:
    events = hostile_events(originator) + hostile_events(
        uuid4() if id_type == "uuid" else "another")[:3]

    packed = packed_by_hand(database, id_type, events)

    assert packed == psycopg_rows(database, id_type, events)


def test_rows_packed_by_hand_then_by_psycopg_from_an_odd_event_on_are_psycopg_s_bytes(
        database: Database) -> None:
    events = hostile_events(uuid4())
    odd = events[7]
    events[7] = StoredEvent(originator_id=odd.originator_id,
                            originator_version=odd.originator_version, topic=odd.topic,
                            state=bytearray(odd.state))  # type: ignore[arg-type]

    packed = packed_by_hand(database, "uuid", events)

    assert packed == psycopg_rows(database, "uuid", events)


def test_hostile_events_saved_by_copy_read_back_exactly_as_they_were(
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = services.ledger.recorder
    recorder.insert_events(hostile_events(uuid4())[:1])  # the id sequence has a last value
    copies = counted_copies(monkeypatch)
    originator = uuid4()
    events = hostile_events(originator)

    recorder.insert_events(events)

    stored = recorder.select_events(originator)
    assert copies == [len(events)]
    assert [(e.originator_id, e.originator_version, e.topic, e.state) for e in stored] == [
        (e.originator_id, e.originator_version, e.topic, e.state) for e in events]


def test_an_event_outside_the_packed_shape_still_goes_in_by_copy_through_psycopg(
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = services.ledger.recorder
    recorder.insert_events(hostile_events(uuid4())[:1])
    copies = counted_copies(monkeypatch)
    originator = uuid4()
    events = hostile_events(originator)
    odd = events[5]
    events[5] = StoredEvent(originator_id=odd.originator_id,
                            originator_version=odd.originator_version, topic=odd.topic,
                            state=bytearray(odd.state))  # type: ignore[arg-type]

    recorder.insert_events(events)

    stored = recorder.select_events(originator)
    assert copies == [len(events), len(events)]  # its COPY message abandoned, then psycopg's
    assert [bytes(e.state) for e in stored] == [bytes(e.state) for e in events]
