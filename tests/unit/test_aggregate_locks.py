"""One lock per aggregate id: taken or refused within a timeout, handed to a waiter on release,
and dropped once nobody holds or waits for it."""

import threading

from commands.aggregate_locks import AggregateLocks


def test_a_free_lock_is_taken_at_once() -> None:
    assert AggregateLocks().acquire("a", 0) is True


def test_a_held_lock_is_refused_after_the_timeout() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)

    assert locks.acquire("a", 0.01) is False


def test_a_negative_timeout_waits_no_time_instead_of_failing() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)

    assert (locks.acquire("a", -1), locks.acquire("b", -1)) == (False, True)


def test_locks_of_different_ids_are_independent() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)

    assert locks.acquire("b", 0) is True


def test_a_released_lock_can_be_taken_again() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)
    locks.release("a")

    assert locks.acquire("a", 0) is True


def test_a_waiter_gets_the_lock_when_its_holder_releases_it() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)
    taken: list[bool] = []
    waiter = threading.Thread(target=lambda: taken.append(locks.acquire("a", 5)))
    waiter.start()

    locks.release("a")
    waiter.join()

    assert taken == [True]


def test_a_lock_nobody_holds_or_waits_for_is_dropped() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)
    locks.acquire("a", 0)  # refused: it waited, and stops waiting

    locks.release("a")

    assert locks._locks == {}


def test_a_refused_waiter_leaves_the_holders_lock_in_place() -> None:
    locks = AggregateLocks()
    locks.acquire("a", 0)

    locks.acquire("a", 0)

    assert list(locks._locks) == ["a"] and locks._locks["a"][1] == 1
