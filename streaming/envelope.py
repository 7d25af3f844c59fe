"""The published form of one ledger event: a CloudEvents 1.0 structured-mode JSON envelope.

Envelope version 1 (``vcioenvelope: "1"``); docs/kafka.md is the contract. ``data`` is the
event as plain JSON (UUIDs and datetimes as strings, money as decimal strings, enums as their
values), always in the event class's current version (old stored versions are upcast before
publishing), so outside consumers need nothing of ours. For our own feeders, the exact stored
bytes travel in the ``vciostate`` extension (base64) with the stored topic in ``vciotopic``:
decoding them with the ledger's mapper is the very code path a log-fed projection runs, so a
Kafka-fed projection cannot drift from a log-fed one through a lossy re-encoding.

``id`` is ``<aggregate id>:<aggregate version>``: stable across re-publishing, so it is the
dedup key for consumers (delivery is at least once).
"""

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from projections.runner import RawEvent

SPEC_VERSION = "1.0"
ENVELOPE_VERSION = "1"
CONTENT_TYPE = "application/json"
# The CloudEvents Kafka binding tells structured mode by this header; SDKs read it.
HEADERS = [("content-type", b"application/cloudevents+json; charset=UTF-8")]


class EnvelopeError(ValueError):
    """A message is not an envelope this version of the ledger can read."""


def event_id(originator_id: UUID, originator_version: int) -> str:
    return f"{originator_id}:{originator_version}"


@lru_cache(maxsize=1024)
def event_type(topic: str) -> str:
    """``aggregates.client:Client.AnswerRecorded`` -> ``vcio.client.AnswerRecorded.v2``."""
    _, _, qualname = topic.partition(":")
    aggregate, _, name = qualname.partition(".")
    version = getattr(resolve_topic(topic), "class_version", 1)
    return f"vcio.{aggregate.lower()}.{name}.v{version}"


PLAIN_FORMS: dict[type, Callable[[Any], Any]] = {
    UUID: str, Decimal: str, datetime: datetime.isoformat, date: date.isoformat,
    set: lambda v: sorted(v, key=str), frozenset: lambda v: sorted(v, key=str),
}


def plain(value: Any) -> Any:
    """The JSON form of a field value that ``json`` cannot write by itself."""
    form = PLAIN_FORMS.get(type(value))
    if form is not None:
        return form(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID | Decimal | datetime | date):
        return str(value) if isinstance(value, UUID | Decimal) else value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON-plain")


def to_envelope(raw: RawEvent, event: Any, source: str) -> dict[str, Any]:
    """The envelope of one stored event, given its decoded (upcast) domain event."""
    return {
        "specversion": SPEC_VERSION,
        "id": event_id(raw.originator_id, raw.originator_version),
        "source": source,
        "type": event_type(raw.topic),
        "subject": str(raw.originator_id),
        "time": event.timestamp.isoformat(),
        "datacontenttype": CONTENT_TYPE,
        "tenant": getattr(event, "tenant", ""),
        "position": str(raw.position),
        "vcioenvelope": ENVELOPE_VERSION,
        "vciotopic": raw.topic,
        "vciostate": base64.b64encode(raw.state).decode("ascii"),
        "data": vars(event),  # made plain by ``encode``
    }


class _Unplain(Exception):
    """The stored state holds something the fast path does not turn into plain JSON."""


# A value as the transcoder stores a registered type: ``{"_type_":"uuid_hex","_data_":"..."}``.
# Inside a JSON string every quote is escaped, so this shape only ever matches real objects.
_TAGGED = re.compile(rb'\{"_type_":"([^"\\]*)","_data_":("[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9]+)\}')
# The stored forms whose ``_data_`` is already the plain form.
_PLAIN_AS_STORED = frozenset({b"datetime_iso", b"decimal_str", b"date_iso"})
# Every stored event starts with its timestamp; the tenant follows (after the aggregate's
# topic in a ``Created`` event).
_HEAD = re.compile(rb'\{"timestamp":\{"_type_":"datetime_iso","_data_":"([^"\\]*)"\}'
                   rb'(?:,"originator_topic":"[^"\\]*")?,"tenant":("[^"\\]*(?:\\.[^"\\]*)*")')
# The mapper writes ``class_version`` last, and only above version 1.
_CLASS_VERSION = b',"class_version":'
_ENVELOPE = (b'{"specversion":"1.0","id":"%b:%d","source":%b,"type":%b,"subject":"%b",'
             b'"time":"%b","datacontenttype":"application/json","tenant":%b,"position":"%d",'
             b'"vcioenvelope":"1","vciotopic":%b,"vciostate":"%b","data":%b,'
             b'"originator_id":"%b","originator_version":%d}}')


def _plain_value(match: re.Match[bytes]) -> bytes:
    kind, data = match.group(1, 2)
    if kind == b"uuid_hex" and len(data) == 34:
        return b'"%b-%b-%b-%b-%b"' % (data[1:9], data[9:13], data[13:17], data[17:21], data[21:33])
    if kind in _PLAIN_AS_STORED or kind.startswith(b"enum:"):
        return data
    raise _Unplain(kind)


@lru_cache(maxsize=1024)
def topic_texts(topic: str) -> tuple[bytes, bytes, int]:
    """The JSON texts of an event topic's envelope type and of the topic, and its class version."""
    version = int(getattr(resolve_topic(topic), "class_version", 1))
    return json_text(event_type(topic)), json_text(topic), version


@lru_cache(maxsize=64)
def json_text(text: str) -> bytes:
    """A string as the envelope's JSON writes it."""
    return json.dumps(text, ensure_ascii=False).encode()


def fast_envelope(raw: RawEvent, source: str, subject: bytes | None = None) -> bytes | None:
    """The encoded envelope spliced from the stored JSON (``splice_envelope``), or ``None``
    when the event needs the mapper. ``subject`` is the aggregate id's text, when the caller
    has it already."""
    return splice_envelope(raw.position, subject or str(raw.originator_id).encode(),
                           raw.originator_version, raw.topic, raw.state, json_text(source))


def splice_envelope(position: int, oid: bytes, version: int, topic: str, state: bytes,
                    source_text: bytes) -> bytes | None:
    """The encoded envelope spliced from the stored JSON, without decoding it: ``data`` is
    the stored text with each tagged value (ids, times, amounts, enum members) replaced by
    its plain form. ``None`` when the event needs the mapper (an older class version to
    upcast, a NUL the decoder replaces, a type without a plain stored form, no tenant where
    events carry it). The result is byte for byte what ``encode(to_envelope(raw, decoded,
    source))`` gives (tested on a whole log). ``oid`` is the aggregate id's text and
    ``source_text`` the source as JSON text."""
    head = _HEAD.match(state)
    if head is None or b"\\u0000" in state:
        return None
    try:
        data = _TAGGED.sub(_plain_value, state)
    except _Unplain:
        return None
    type_text, topic_text, class_version = topic_texts(topic)
    cut = data.rfind(_CLASS_VERSION)
    stored_version = data[cut + len(_CLASS_VERSION):-1] if cut >= 0 else b""
    if not stored_version.isdigit():  # a nested dict's key, or none: version 1
        cut, stored_version = len(data) - 1, b"1"
    if int(stored_version) != class_version or b'"_type_"' in data:
        return None
    return _ENVELOPE % (
        oid, version, source_text, type_text, oid, head.group(1), head.group(2), position,
        topic_text, base64.b64encode(state), data[:cut], oid, version)


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, default=plain).encode()


@dataclass(frozen=True)
class Delivered:
    """An envelope read back from a topic: its event id and the stored event it carries."""

    event_id: str
    raw: RawEvent

    @property
    def position(self) -> int:
        return self.raw.position


def decode(value: bytes) -> Delivered:
    """Read an envelope back into the stored event it was made from."""
    try:
        envelope = json.loads(value)
        if envelope["specversion"] != SPEC_VERSION or envelope["vcioenvelope"] != ENVELOPE_VERSION:
            raise EnvelopeError(f"unsupported envelope {envelope['specversion']}/"
                                f"{envelope['vcioenvelope']}")
        aggregate_id, _, version = envelope["id"].rpartition(":")
        raw = RawEvent(int(envelope["position"]), UUID(aggregate_id), int(version),
                       envelope["vciotopic"], base64.b64decode(envelope["vciostate"]))
    except (ValueError, KeyError, TypeError) as error:
        raise EnvelopeError(f"not a ledger event envelope: {error}") from error
    return Delivered(envelope["id"], raw)
