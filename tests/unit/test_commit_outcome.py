"""Settling a one-message write whose answer was lost (runtime.commit_outcome.settle_by_rows):
only once the server process that ran it has ended does the log tell whether it committed."""

from collections.abc import Callable, Sequence

import pytest
from eventsourcing.persistence import OperationalError

from runtime.commit_outcome import NothingCommittedError, settle_by_rows

LOST = ConnectionError("server closed the connection unexpectedly")


def process_ending_after(asks: int) -> tuple[Callable[[], bool], list[int]]:
    """A ``backend_gone`` that answers False ``asks`` times, then True; and its count."""
    asked: list[int] = []

    def gone() -> bool:
        asked.append(1)
        return len(asked) > asks

    return gone, asked


def looked_up(ids: Sequence[int] | None) -> tuple[Callable[[], Sequence[int] | None], list[int]]:
    looks: list[int] = []

    def committed_ids() -> Sequence[int] | None:
        looks.append(1)
        return ids

    return committed_ids, looks


def test_a_write_whose_events_are_in_the_log_answers_their_ids() -> None:
    gone, _ = process_ending_after(0)
    committed_ids, _ = looked_up([7, 8])

    assert settle_by_rows(LOST, gone, committed_ids) == [7, 8]


def test_a_write_whose_events_are_not_in_the_log_committed_nothing() -> None:
    gone, _ = process_ending_after(0)
    committed_ids, _ = looked_up(None)

    with pytest.raises(NothingCommittedError):
        settle_by_rows(LOST, gone, committed_ids)


def test_the_log_is_read_only_once_the_process_has_ended() -> None:
    gone, asked = process_ending_after(2)
    committed_ids, looks = looked_up([3])

    ids = settle_by_rows(LOST, gone, committed_ids, settle_seconds=5)

    assert (ids, len(asked), len(looks)) == ([3], 3, 1)


def test_a_process_still_running_after_the_wait_leaves_the_outcome_unknown() -> None:
    gone, _ = process_ending_after(10**6)
    committed_ids, looks = looked_up([3])

    with pytest.raises(OperationalError, match="cannot yet tell"):
        settle_by_rows(LOST, gone, committed_ids, settle_seconds=0.12)

    assert looks == []
