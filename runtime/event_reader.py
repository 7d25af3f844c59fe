"""The reading half of the fast mapper: a stored state decoded by a schema made for its topic.

The library decodes a stored state with the ``json`` module and an object hook called for
every JSON object, and most of an event's values are such objects (``{"_type_": "uuid_hex",
"_data_": "..."}``): on the 200,000-event benchmark log the transcoder's decode was 8.3 us of
an event's 11.8 us of mapping (2026-11-28). An event class stores the same keys each time,
each holding the same kind of value, so the first stored state of a topic gives a schema:
each key whose value is a tagged object with text data becomes a field that msgspec decodes,
in C, into a small struct of the type's name and its text, and every other key a field of any
JSON value. The reader then asks the transcoder for each tagged value
(:meth:`runtime.transcoder.FastJSONTranscoder.decode_text`: the library's transcoding, its
results remembered as the library path remembers them; a timestamp, which is never
remembered, straight from its transcoding) and runs the library's object hook over any other
JSON object or list (:meth:`~runtime.transcoder.FastJSONTranscoder.revive`), so the state is
the library's, key for key and in the same order. Datetimes are never parsed by msgspec: it
rounds a seventh digit of a second's fraction where ``datetime.fromisoformat`` drops it.

A state that does not fit its topic's schema (another class version, a key more or less, a
value of another kind) or that msgspec refuses where ``json`` takes it (an integer past 64
bits, a lone surrogate, ``NaN``) raises from the reader, and the mapper decodes it the
library's way, which also raises the library's errors for a state that cannot be decoded.
"""

import keyword
from collections.abc import Callable
from typing import Any

import msgspec

from runtime.transcoder import FastJSONTranscoder, without_nul

StateReader = Callable[[bytes], dict[str, Any]]


class Tagged(msgspec.Struct, forbid_unknown_fields=True, rename={"name": "_type_", "text": "_data_"}):
    """A value of a registered type as the library stores it: its type's name and its text."""

    name: str
    text: str


def state_reader(transcoder: FastJSONTranscoder, example: bytes) -> StateReader | None:
    """The reader of states shaped like ``example`` (a stored state, the first of its topic),
    or None when its keys cannot be fields (not identifiers, or starting with ``_``: then the
    library's object hook might take the whole state for a tagged value)."""
    state = msgspec.json.decode(without_nul(example))
    if type(state) is not dict or not all(
            type(key) is str and key.isidentifier() and not keyword.iskeyword(key)
            and not key.startswith("_") for key in state):
        return None
    tagged = {key for key, value in state.items() if type(value) is dict and len(value) == 2
              and type(value.get("_type_")) is str and type(value.get("_data_")) is str}
    schema = msgspec.defstruct("StoredState", [
        (key, Tagged | None if key in tagged else Any) for key in state],
        forbid_unknown_fields=True)
    decode = msgspec.json.Decoder(schema).decode
    namespace: dict[str, Any] = {"tag": transcoder.decode_text, "revive": transcoder.revive}
    lines = ["def build(s):"]
    for n, key in enumerate(state):
        lines.append(f"    v{n} = s.{key}")
        if key in tagged:
            name = state[key]["_type_"]
            transcoding = transcoder.names.get(name)
            if transcoding is not None and not issubclass(transcoding.type,
                                                          transcoder.CACHEABLE):
                # Never remembered (timestamps are mostly unique): its transcoding at once,
                # as the library's hook calls it, when the value is of the example's type.
                namespace[f"d{n}"] = transcoding.decode
                lines.append(f"    if v{n} is not None: v{n} = d{n}(v{n}.text) if v{n}.name =="
                             f" {name!r} else tag(v{n}.name, v{n}.text)")
            else:
                lines.append(f"    if v{n} is not None: v{n} = tag(v{n}.name, v{n}.text)")
        else:
            lines.append(f"    if type(v{n}) is dict or type(v{n}) is list: v{n} = revive(v{n})")
    lines.append("    return {" + ", ".join(f"{key!r}: v{n}" for n, key in enumerate(state)) + "}")
    exec("\n".join(lines), namespace)  # noqa: S102 - keys checked as identifiers above
    build: Callable[[Any], dict[str, Any]] = namespace["build"]

    def read(data: bytes) -> dict[str, Any]:
        return build(decode(without_nul(data)))

    return read
