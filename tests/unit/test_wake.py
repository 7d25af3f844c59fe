"""The one-way signal a queued save waits on (runtime.group_commit.Wake)."""

import threading

from runtime.group_commit import Wake


def test_a_waiting_thread_goes_on_once_the_wake_is_set() -> None:
    wake = Wake()
    woken: list[bool] = []
    waiter = threading.Thread(target=lambda: (wake.wait(), woken.append(True)))
    waiter.start()
    waiter.join(0.05)
    before = list(woken)

    wake.set()
    waiter.join(5)

    assert (before, woken) == ([], [True])


def test_a_wake_set_twice_lets_its_waiter_through_without_an_error() -> None:
    wake = Wake()
    wake.set()
    wake.set()  # a save woken to lead, then given its outcome by its own group

    waiter = threading.Thread(target=wake.wait)
    waiter.start()
    waiter.join(5)

    assert not waiter.is_alive()
