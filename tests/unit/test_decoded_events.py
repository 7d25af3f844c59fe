"""A window's events are decoded once however many read models take them
(projections.log_window.DecodedEvents)."""

from typing import Any
from uuid import uuid4

import pytest

from projections.base import RawEvent
from projections.log_window import DecodedEvents


def raw(position: int, state: bytes = b"{}") -> RawEvent:
    return RawEvent(position, uuid4(), 1, "topic", state)


class CountingDecoder:
    """Decodes a raw event to its position; refuses a state of ``b"poison"``."""

    def __init__(self) -> None:
        self.decoded: list[int] = []

    def __call__(self, event: RawEvent) -> Any:
        if event.state == b"poison":
            raise ValueError(f"cannot decode {event.position}")
        self.decoded.append(event.position)
        return event.position


def test_every_read_model_takes_a_windows_events_in_order_decoded_once() -> None:
    decoder, rows = CountingDecoder(), [raw(3), raw(5), raw(8)]
    events = DecodedEvents(decoder)

    taken = [events.all(rows), events.all(rows[1:]), events.all(rows)]

    assert (taken, decoder.decoded) == ([[3, 5, 8], [5, 8], [3, 5, 8]], [3, 5, 8])


def test_a_window_with_an_event_that_cannot_be_decoded_raises_its_error_to_each_read_model(
) -> None:
    events = DecodedEvents(CountingDecoder())
    rows = [raw(3), raw(4, b"poison")]

    for _ in range(2):
        with pytest.raises(ValueError, match="cannot decode 4"):
            events.all(rows)
