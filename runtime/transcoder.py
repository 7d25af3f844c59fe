"""The fast JSON transcoder for event states (same bytes as the library's, written faster)."""

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Transcoding

_JSON_NATIVE = (str, int, float, list, tuple, dict)
_MISSING = object()
IMMUTABLE = (UUID, datetime, date, Decimal)  # besides enum members


class NotOnFastPathError(Exception):
    """A value the fast writer leaves to the library's encoder (same output, slower)."""


# A JSON ``\u0000`` escape: preceded by an even number of backslashes (escaped backslashes).
_NUL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")
_BACKSLASH = ord("\\")  # an int: ``in`` looks for one byte (memchr)


def without_nul(data: bytes) -> bytes:
    """A stored event state with every NUL in its text replaced by U+FFFD.

    Events recorded before command text was checked may hold NUL, which PostgreSQL ``text`` and
    ``jsonb`` columns refuse; read on, they would stop every read model that copies the text.
    Replaced while decoding, such events keep loading, and the log itself stays untouched.

    Most states hold no backslash at all, which one byte scan finds (45 ns for an answer's
    532 bytes, where looking for the escape itself took 340 ns)."""
    if _BACKSLASH not in data or b"\\u0000" not in data:
        return data
    return _NUL_ESCAPE.sub(rb"\1\\ufffd", data)


class FastJSONTranscoder(JSONTranscoder):
    """The library's JSON transcoder with a faster writer for event states.

    The library's encoder calls back into Python for every UUID, datetime and enum and then
    walks the returned dict again; that was half the cost of saving a batch of answers.
    This writer produces byte for byte the same text (compact separators, ``ensure_ascii``
    off, ``{"_type_": name, "_data_": ...}`` for registered types) by dispatching on exact
    types. Whatever it does not handle exactly like the library (subclasses of JSON types,
    non-text keys, NaN, unregistered types, cycles) goes to the library's encoder, so stored
    events, and the errors for unstorable ones, stay what they were. The text of an immutable
    value (UUID, datetime, date, Decimal, enum member) is remembered for that very object (by
    identity, holding a reference so the identity stays its own): the events of one command
    share the same review id, observation time and answers.

    Decoding is the library's, except that immutable values that are slow to build (ids,
    amounts, enum members) are remembered by their stored text: a batch of answers names the
    same review and standards over and over, and building a UUID costs more than parsing the
    JSON. Timestamps are not remembered: most are unique and they are quick to parse.
    """

    CACHE_SIZE = 20_000
    CACHEABLE = (UUID, Decimal, Enum)

    def __init__(self) -> None:
        super().__init__()
        self._tagged: dict[type, tuple[str, Callable[[Any], Any], bool]] = {}
        self._written: dict[int, tuple[Any, str]] = {}
        self._write = self._writer()
        # The writer of one value (raises NotOnFastPathError for what the library must write).
        self.write_value = self._write
        # The text of immutable values already written, by identity: id -> (value, text).
        self.written = self._written
        # The state writers and readers of runtime.event_mapper and runtime.event_reader, made
        # for the transcodings registered now.
        self.event_writers: dict[Any, Any] = {}
        self.event_readers: dict[Any, Any] = {}
        self._decoded: dict[tuple[Any, Any], Any] = {}

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._tagged.clear()
        self._written.clear()
        self._decoded.clear()
        self.event_writers.clear()
        self.event_readers.clear()

    def encode(self, obj: Any) -> bytes:
        try:
            return self._write(obj).encode("utf8")
        except (NotOnFastPathError, RecursionError, TypeError):
            return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        return super().decode(without_nul(data))

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        if len(d) != 2:
            return d
        data = d.get("_data_")
        if type(data) is not str:
            # Only text data is remembered, so only text is looked up: other data (an already
            # decoded custom value, a list) may not even be hashable.
            return super()._decode_obj(d)
        value = self._decoded.get((d.get("_type_"), data), _MISSING)
        if value is not _MISSING:
            return value
        value = super()._decode_obj(d)
        if value is not d and isinstance(value, self.CACHEABLE):
            if len(self._decoded) >= self.CACHE_SIZE:
                self._decoded.clear()
            self._decoded[d["_type_"], data] = value
        return value

    def decode_text(self, name: str, data: str) -> Any:
        """What the library's decoder makes of ``{"_type_": name, "_data_": data}`` (text
        data): the value of a registered type, remembered as :meth:`_decode_obj` remembers it."""
        value = self._decoded.get((name, data), _MISSING)
        if value is _MISSING:
            value = self._decode_obj({"_type_": name, "_data_": data})
        return value

    def revive(self, value: Any) -> Any:
        """What the library's decoder makes of a JSON value decoded without its object hook:
        the hook applied to every object, innermost first (lists stay lists)."""
        if type(value) is dict:
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    value[key] = self.revive(item)
            return self._decode_obj(value)
        if type(value) is list:
            return [self.revive(item) if type(item) is dict or type(item) is list else item
                    for item in value]
        return value

    def _writer(self) -> Callable[[Any], str]:
        types, tagged, memo, esc = self.types, self._tagged, self._written, encode_basestring
        keys: dict[str, str] = {}
        int_repr, float_repr, isfinite = int.__repr__, float.__repr__, math.isfinite

        def value(o: Any) -> str:
            t = type(o)
            if t is str:
                return esc(o)
            tag = tagged.get(t)
            if tag is not None:
                if tag[2]:
                    seen = memo.get(id(o))
                    if seen is not None and seen[0] is o:
                        return seen[1]
                data = tag[1](o)
                text = tag[0] + (esc(data) if type(data) is str else value(data)) + "}"
                if tag[2]:
                    if len(memo) >= self.CACHE_SIZE:
                        memo.clear()
                    memo[id(o)] = (o, text)
                return text
            if t is dict:
                parts = []
                for k, v in o.items():
                    key = keys.get(k)
                    if key is None:
                        # esc() rejects non-text keys with TypeError: the library's encoder
                        # decides. Text keys are few (field names): their text is remembered.
                        key = esc(k) + ":"
                        if len(keys) < self.CACHE_SIZE:
                            keys[k] = key
                    parts.append(key + (esc(v) if type(v) is str else value(v)))
                return "{" + ",".join(parts) + "}"
            if t is int:
                return int_repr(o)
            if o is None:
                return "null"
            if o is True:
                return "true"
            if o is False:
                return "false"
            if t is list or t is tuple:
                return "[" + ",".join([value(v) for v in o]) + "]"
            if t is float and isfinite(o):
                return float_repr(o)
            transcoding = types.get(t)
            if transcoding is None or isinstance(o, _JSON_NATIVE):
                raise NotOnFastPathError
            immutable = t in IMMUTABLE or issubclass(t, Enum)
            tagged[t] = ('{"_type_":' + esc(transcoding.name) + ',"_data_":', transcoding.encode,
                         immutable)
            return value(o)

        return value
