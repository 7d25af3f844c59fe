"""The mapper that turns domain events into stored events with a writer made for each event class,
and stored events back into domain events with a reader made for each topic
(:mod:`runtime.event_reader`; :meth:`FastMapper.domain_event`).

The library's mapper copies an event's attributes into a fresh dict, pops its id and version,
and hands the dict to the transcoder, which walks it key by key (about 40 % of a 300-answer
review's save on 2026-11-27, bench/append.py). An event class always has the same attributes in the
same order, so the text of its keys is known in advance: this mapper writes, once per class
and attribute order (a "shape"), a function that reads each attribute and joins the constant
key texts with each value's text, dispatching on the type each field had in the first event
(:func:`state_writer`); any other value goes to the transcoder's writer
(:class:`runtime.transcoder.FastJSONTranscoder`), which dispatches on exact types and falls back
to the library's encoder for anything unusual.

The stored bytes are exactly the library mapper's (tests/unit/test_event_mapper.py, for events
of every class of the domain; tests/unit/test_event_encoding.py, for arbitrary states):
the same keys in the same order (``class_version`` last when above 1), the same separators, the
same text for every value. An event the shaped writer does not take (a non-text attribute
name, an attribute named ``class_version``, a value its writer leaves to the library, more
shapes than ``MAX_SHAPES``) is mapped by the library's own code, so it is stored, or refused,
as it always was. Compression and encryption, if configured, apply as in the library.
"""

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime, timedelta, timezone
from enum import Enum
from json.encoder import encode_basestring
from typing import Any, cast

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import DatetimeAsISO, Mapper, StoredEvent, find_id_convertor
from eventsourcing.utils import get_topic, resolve_topic

from runtime.event_reader import StateReader, state_reader
from runtime.transcoder import IMMUTABLE, FastJSONTranscoder, NotOnFastPathError

StateWriter = Callable[[dict[str, Any]], str]
Shaped = tuple[str, StateWriter]  # an event class's topic and its state writer
MAX_SHAPES = 1_000
IDENTITY = ("originator_id", "originator_version")
FIXED_OFFSETS = (timezone, type(None))  # a datetime's offset text depends on its zone alone
DIGITS = tuple(f"{n:03d}" for n in range(1000))
_new = object.__new__
_set = object.__setattr__
MISSING: Any = object()


class FastMapper(Mapper[Any]):
    """The library's mapper with a writer generated per event class (see the module's text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        transcoder = self.transcoder
        # (event class, attribute names in order) -> (topic, writer), or None for the library's
        # way: held by the transcoder, which empties it when a transcoding is registered.
        self._shapes: dict[tuple[type, tuple[str, ...]], Shaped | None] = (
            transcoder.event_writers if isinstance(transcoder, FastJSONTranscoder) else {})
        # topic -> (event class, state reader), or None for the library's way (held alike).
        self._readers: dict[str, tuple[type, StateReader] | None] = (
            transcoder.event_readers if isinstance(transcoder, FastJSONTranscoder) else {})

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        return self.domain_event(stored_event.originator_id, stored_event.originator_version,
                                 stored_event.topic, stored_event.state)

    def domain_event(self, originator_id: Any, originator_version: int, topic: str,
                     state: bytes) -> DomainEventProtocol[Any]:
        """The domain event stored with these fields, as the library's ``to_domain_event``
        makes it; its state decoded by the topic's reader (:mod:`runtime.event_reader`) when
        it takes it, else the library's way."""
        read = self._readers.get(topic, MISSING)
        if read is MISSING:
            read = self._reader_for(topic, state)
        event_state: dict[str, Any] | None = None
        if read is not None:
            try:
                event_state = read[1](state)
            except Exception:  # noqa: BLE001 - not this schema's: the library's way decides
                event_state = None
        if event_state is None or read is None:
            return super().to_domain_event(
                StoredEvent(originator_id, originator_version, topic, state))
        # From here on, the library's to_domain_event as it is (eventsourcing 9.5).
        cls = read[0]
        id_convertor = find_id_convertor(cls, cast("Hashable", type(originator_id)))
        event_state["originator_id"] = id_convertor(originator_id)
        event_state["originator_version"] = originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        domain_event = _new(cls)
        _set(domain_event, "__dict__", event_state)
        return domain_event  # type: ignore[no-any-return]

    def _reader_for(self, topic: str, state: bytes) -> tuple[type, StateReader] | None:
        """The topic's reader, made from ``state`` and remembered (None, remembered, when the
        library's way must decode it; None, not remembered, when ``state`` cannot be read)."""
        transcoder = self.transcoder
        if (self.cipher or self.compressor or not isinstance(transcoder, FastJSONTranscoder)
                or len(self._readers) >= MAX_SHAPES):
            return None
        try:
            cls = resolve_topic(topic)
            reader = state_reader(transcoder, state)
        except Exception:  # noqa: BLE001 - the library's way raises its own error for it
            return None
        found = (cls, reader) if reader is not None else None
        self._readers[topic] = found
        return found

    def to_stored_event(self, domain_event: DomainEventProtocol[Any]) -> StoredEvent:
        return self.to_stored_events((domain_event,))[0]

    def to_stored_events(self, domain_events: Sequence[DomainEventProtocol[Any]]
                         ) -> list[StoredEvent]:
        """``to_stored_event`` of each event, in one loop: a save's events are mostly of one
        shape, so the shape is looked up only when it changes (equal to the last one's: the
        same class, the same attribute names in the same order)."""
        compressor, cipher = self.compressor, self.cipher
        stored_events: list[StoredEvent] = []
        append = stored_events.append
        last_shape: tuple[type, tuple[str, ...]] | None = None
        shaped: Shaped | None = None
        for domain_event in domain_events:
            state = vars(domain_event)
            shape = (type(domain_event), tuple(state))
            if shape != last_shape:
                shaped = self._shapes.get(shape, MISSING)
                if shaped is MISSING:
                    shaped = self._shape_writer(*shape, state)
                last_shape = shape
            if shaped is None:
                append(super().to_stored_event(domain_event))
                continue
            try:
                stored_state = shaped[1](state).encode("utf8")
            except (NotOnFastPathError, RecursionError, TypeError):
                append(super().to_stored_event(domain_event))
                continue
            if compressor:
                stored_state = compressor.compress(stored_state)
            if cipher:
                stored_state = cipher.encrypt(stored_state)
            # Built as the library builds domain events, without the frozen dataclass's four
            # object.__setattr__ calls (a tenth of the mapping's time); equal to one built by it.
            stored = _new(StoredEvent)
            _set(stored, "__dict__", {"originator_id": state["originator_id"],
                                      "originator_version": state["originator_version"],
                                      "topic": shaped[0], "state": stored_state})
            append(stored)
        return stored_events

    def _shape_writer(self, cls: type, names: tuple[str, ...],
                      example: dict[str, Any]) -> Shaped | None:
        """The writer of this shape, remembered (None when the library's mapper must write it)."""
        transcoder = self.transcoder
        if len(self._shapes) >= MAX_SHAPES:
            return None  # not remembered, not written: the library maps it
        shaped: Shaped | None = None
        class_version = getattr(cls, "class_version", 1)
        if (isinstance(transcoder, FastJSONTranscoder) and type(class_version) is int
                and all(type(name) is str for name in names)
                and "class_version" not in names and set(IDENTITY) <= set(names)):
            fields = [name for name in names if name not in IDENTITY]
            shaped = (get_topic(cls), state_writer(fields, class_version, transcoder,
                                                       example))
        self._shapes[cls, names] = shaped
        return shaped


def state_writer(fields: list[str], class_version: int, transcoder: FastJSONTranscoder,
                 example: dict[str, Any]) -> StateWriter:
    """A function writing the JSON object of ``fields`` (in this order) read from an event's
    attributes, with ``class_version`` last when above 1: the library mapper's dict, as text.

    Its source is generated, a few lines per field, for the type of the field's value in
    ``example`` (the first event of this shape): the key texts are literals (written by
    ``repr``, so any field name is quoted safely) of one f-string; a text is escaped, an integer
    written, a datetime written as the library's own transcoding writes it (``isoformat()``,
    whose characters need no escaping; from the last one's text when in the same second,
    :func:`datetime_text`), each after checking the value's exact type; an id or
    enum member is taken from the transcoder's texts of values already written, by identity;
    any other value, or one of another type, goes to the transcoder's writer, which writes
    anything the library would. The text of an immutable value (a datetime, or a value of an
    immutable registered type) is also remembered per field with the value itself, and used
    while the next events carry that very object (the events of one command share their
    review, observation time and answers); the pair is replaced in one store, so a writer used
    by several threads at once never pairs a value with another's text."""
    datetimes = transcoder.types.get(datetime)
    inline_datetime = type(datetimes) is DatetimeAsISO  # written by datetime.isoformat()
    datetime_tag = ('{"_type_":' + encode_basestring(getattr(datetimes, "name", ""))
                    + ',"_data_":"')
    lines = ["def write(state):"]
    parts: list[str] = []
    namespace: dict[str, Any] = {
        "esc": encode_basestring, "value": transcoder.write_value, "int_repr": int.__repr__,
        "written_get": transcoder.written.get, "datetime": datetime,
        "fixed_offsets": FIXED_OFFSETS, "digits": DIGITS, "one_second": timedelta(seconds=1)}
    remembered: list[tuple[object, str]] = []  # per remembered field: (value, its text)
    seconds: list[tuple[Any, ...]] = []  # per datetime field: its last second (datetime_text)
    for n, name in enumerate(fields):
        v, t = f"v{n}", type(example[name])
        lines.append(f"    {v} = state[{name!r}]")
        if t is str:
            lines.append(f"    s{n} = esc({v}) if type({v}) is str else value({v})")
        elif t is int:
            lines.append(f"    s{n} = int_repr({v}) if type({v}) is int else value({v})")
        elif (t is datetime and inline_datetime) or t in transcoder.types:
            if t is datetime and inline_datetime:
                text = datetime_text(n, len(seconds), datetime_tag)
                seconds.append((None, MISSING, "", "", None))
            else:
                text = [f"seen = written_get(id({v}))",
                        f"s{n} = seen[1] if seen is not None and seen[0] is {v} else value({v})"]
            k = len(remembered)
            remembered.append((object(), ""))
            namespace[f"t{k}"] = t
            immutable = t in IMMUTABLE or issubclass(t, Enum)
            lines += [f"    p = last[{k}]", f"    if p[0] is {v}:", f"        s{n} = p[1]",
                      "    else:", *[f"        {line}" for line in text]]
            if immutable:
                lines.append(f"        if type({v}) is t{k}: last[{k}] = ({v}, s{n})")
        else:
            lines.append(f"    s{n} = value({v})")
        parts += [literal(("{" if n == 0 else ",") + encode_basestring(name) + ":"),
                  f"f'{{s{n}}}'"]
    if class_version > 1:
        parts.append(literal(("{" if not fields else ",") + encode_basestring("class_version")
                             + ":" + str(class_version)))
    parts.append(literal("}") if fields or class_version > 1 else literal("{}"))
    lines.append("    return (" + " ".join(parts) + ")")
    namespace["last"], namespace["second"] = remembered, seconds
    exec("\n".join(lines), namespace)  # noqa: S102 - generated from names quoted by repr()
    writer: StateWriter = namespace["write"]
    return writer


def datetime_text(n: int, k: int, tag: str) -> list[str]:
    """The lines writing field ``n``'s datetime ``v{n}`` as ``isoformat()`` writes it, tagged:
    a datetime in the same second of the same fixed-offset zone (or none) as the last one
    written by this field's ``second[k]`` (that whole second, its zone, the tagged text before
    and after the microseconds, the next whole second) is written from that text and its
    microseconds, without ``isoformat()`` (a save's events are stamped within the same second;
    that call was about a third of a 300-answer save's mapping). Datetimes of the same zone
    compare as wall-clock times, and a fixed offset's text is the same at every time of day
    (none is remembered in the last year, whose last second has no next one)."""
    v, q, u, iso = f"v{n}", f"q{n}", f"u{n}", f"iso{n}"
    return [
        f"if type({v}) is datetime:",
        f"    {q} = second[{k}]",
        f"    if {v}.tzinfo is {q}[1] and {q}[0] <= {v} < {q}[4]:",
        f"        s{n} = (f'{{{q}[2]}}.{{digits[{u} // 1000]}}{{digits[{u} % 1000]}}{{{q}[3]}}'"
        f" if ({u} := {v}.microsecond) else {q}[2] + {q}[3])",
        "    else:",
        f"        {iso} = {v}.isoformat()",
        f"        s{n} = {tag!r} + {iso} + '\"}}'",
        f"        if type({v}.tzinfo) in fixed_offsets and {v}.year < 9999:",
        f"            {q} = {v}.replace(microsecond=0)",
        f"            second[{k}] = ({q}, {v}.tzinfo, {tag!r} + {iso}[:19],"
        f" ({iso}[26:] if {v}.microsecond else {iso}[19:]) + '\"}}', {q} + one_second)",
        "else:",
        f"    s{n} = value({v})",
    ]


def literal(text: str) -> str:
    """``text`` as an f-string literal of its own (quoted by ``repr``, braces doubled), to be
    joined with the values' f-strings into one f-string."""
    return "f" + repr(text.replace("{", "{{").replace("}", "}}"))
