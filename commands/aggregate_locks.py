"""One lock per aggregate id, so this process decides on an aggregate one command at a time.

The ledger hands out the cached aggregate itself (no deep copy per command); the lock is what
makes that safe: a command holds the lock of the aggregate it changes from load to commit, so
no other thread sees it half-decided, and a decision or save that fails evicts it from the
cache before the lock is released. Locks are created on demand and dropped when nobody holds
or waits for them.
"""

import threading
from collections.abc import Hashable
from typing import Any


class AggregateLocks:
    """Named locks that exist only while someone holds or waits for them."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[Hashable, list[Any]] = {}  # key: [its lock, holders and waiters]

    def acquire(self, key: Hashable, timeout: float) -> bool:
        """Take ``key``'s lock, waiting at most ``timeout`` seconds; whether it was taken."""
        with self._mutex:
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = [threading.Lock(), 0]
            entry[1] += 1
        if entry[0].acquire(timeout=max(timeout, 0)):
            return True
        with self._mutex:
            self._forget(key, entry)
        return False

    def release(self, key: Hashable) -> None:
        with self._mutex:  # one pass under the mutex (a command releases two locks)
            entry = self._locks[key]
            entry[0].release()
            self._forget(key, entry)

    def _forget(self, key: Hashable, entry: list[Any]) -> None:
        entry[1] -= 1
        if entry[1] == 0:
            del self._locks[key]
