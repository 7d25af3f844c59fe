"""Windows of the event log, read in id order and decoded once for every read model.

The event store commits in notification-id order (its writers take a table lock), so every id
at or below the head seen is already visible: a reader's position can move to a window's end
even when no event in it concerned its read models.
"""

from collections.abc import Callable, Collection
from typing import Any

from psycopg import Cursor
from psycopg.sql import SQL, Composed

from projections.base import RawEvent
from projections.rows import fetch_value

Decoder = Callable[[RawEvent], Any]
#: A window's scan covers at most this many batches of ids (see :func:`read_window`).
SCAN_WINDOW_BATCHES = 4


def read_window(cur: Cursor[Any], events: Any, after: int, topics: Collection[str],
                limit: int, alone: bool = False) -> tuple[list[RawEvent], int, int]:
    """Up to ``limit`` events of ``topics`` past ``after``: (rows, end, head), where every
    event of ``topics`` in ``(after, end]`` is in ``rows`` and ``head`` is the log head.

    The scan is bounded to a few batches of ids, and read in id order from the id index with
    sorting turned off for it (``enable_sort``, local to the transaction): without that,
    unless the log's statistics are fresh (they are not after a bulk import), the planner
    bitmap-scanned the whole range and sorted it on disk (10,000 events of a 40,000-id range:
    48 ms, against 5 ms in id order; most of the PostgreSQL time spent reading the log).
    ``alone``: the caller's transaction does nothing after this read, so the setting is left
    to end with it (a round trip less); otherwise it is reset before returning. Past a window
    with too few matching events, ``end`` is the window's end (all of it is visible, see the
    module's docstring)."""
    cur.execute(SQL("SELECT coalesce(max(notification_id), 0),"
                    " set_config('enable_sort', 'off', true) FROM {}").format(events))
    head = int(fetch_value(cur, "event log head"))
    rows: list[RawEvent] = []
    end = after
    if head > after:
        upper = min(head, after + SCAN_WINDOW_BATCHES * limit)
        cur.execute(window_query(events), (after, upper, sorted(topics), limit), prepare=True,
                    binary=True)
        rows = [RawEvent(r[0], r[1], r[2], r[3], r[4]) for r in cur.fetchall()]
        end = rows[-1].position if len(rows) == limit else upper
    if not alone:
        cur.execute("RESET enable_sort")
    return rows, end, head


def window_query(events: Any) -> Composed:
    """The read of a window: the events of some topics in a range of ids, in id order, up to
    a number of them (parameters: after, upper, topics, limit)."""
    return SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
               " WHERE notification_id > %s AND notification_id <= %s AND topic = ANY(%s)"
               " ORDER BY notification_id LIMIT %s").format(events)


class DecodedEvents:
    """The events of one window, each decoded once however many read models apply it; an
    event that cannot be decoded raises its error to each of them (each dead-letters it)."""

    def __init__(self, decode: Decoder) -> None:
        self._decode = decode
        self._done: dict[int, Any] = {}
        self._failed: dict[int, Exception] = {}

    def event(self, raw: RawEvent) -> Any:
        found = self._done.get(raw.position, self)
        if found is not self:
            return found
        failed = self._failed.get(raw.position)
        if failed is not None:
            raise failed
        try:
            found = self._done[raw.position] = self._decode(raw)
        except Exception as error:
            self._failed[raw.position] = error
            raise
        return found

    def all(self, rows: list[RawEvent]) -> list[Any]:
        """The events of ``rows``, in order (as :meth:`event` of each, which raises for the
        first that cannot be decoded): with every read model of a window asking for nearly
        all of its events, one lookup each, not a call each."""
        done = self._done
        try:
            return [done[raw.position] for raw in rows]
        except KeyError:  # one not decoded yet (or that failed to decode)
            return [self.event(raw) for raw in rows]
