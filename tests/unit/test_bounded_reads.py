"""Reads of the event store give up within one pool timeout when the database is gone, instead
of the library's ten retries (12 s with a 1 s pool timeout)."""

import time

import pytest
from eventsourcing.persistence import OperationalError

from runtime.event_store import read_once_more_if_quick


def test_a_read_that_failed_at_once_is_tried_once_more() -> None:
    attempts: list[int] = []

    def read() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return 42

    assert read_once_more_if_quick(read) == 42
    assert len(attempts) == 2


def test_a_read_that_waited_for_a_connection_is_not_tried_again() -> None:
    attempts: list[int] = []

    def read() -> int:
        attempts.append(1)
        time.sleep(0.15)
        raise OperationalError("couldn't get a connection after 0.15 sec")

    with pytest.raises(OperationalError):
        read_once_more_if_quick(read)
    assert len(attempts) == 1
