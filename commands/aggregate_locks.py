"""One lock per aggregate id, so this process decides on an aggregate one command at a time.

The ledger hands out the cached aggregate itself (no deep copy per command); the lock is what
makes that safe: a command holds the lock of the aggregate it changes from load to commit, so
no other thread sees it half-decided, and a decision or save that fails evicts it from the
cache before the lock is released. Locks are created on demand and dropped when nobody holds
or waits for them.
"""

import threading
from collections.abc import Hashable


class AggregateLocks:
    """Named locks that exist only while someone holds or waits for them."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[Hashable, tuple[threading.Lock, int]] = {}

    def acquire(self, key: Hashable, timeout: float) -> bool:
        """Take ``key``'s lock, waiting at most ``timeout`` seconds; whether it was taken."""
        with self._mutex:
            lock, users = self._locks.get(key, (None, 0))
            if lock is None:
                lock = threading.Lock()
            self._locks[key] = (lock, users + 1)
        if lock.acquire(timeout=max(timeout, 0)):
            return True
        self._forget(key)
        return False

    def release(self, key: Hashable) -> None:
        with self._mutex:
            lock, _ = self._locks[key]
        lock.release()
        self._forget(key)

    def _forget(self, key: Hashable) -> None:
        with self._mutex:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
