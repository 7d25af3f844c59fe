"""Write-behind writes for a batch of events: statements go out without waiting for results."""

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from types import TracebackType
from typing import Any, cast

import psycopg
from psycopg import Cursor


class WriteBehindCursor:
    """The cursor a batch applies its events through: writes go out without waiting.

    Applied one statement at a time, a batch waits for a round trip per statement, and the
    server idles while Python decodes the next event. This cursor instead

    - sends statements in pipeline mode, so the server executes them while Python goes on;
    - holds back consecutive ``execute`` calls of one query and sends all but the last with
      ``executemany`` (one message), then the last with ``execute``;
    - holds back rows given to ``hold(writer, row)`` and hands each run to
      ``writer(cursor, rows)``, which writes it in one statement.

    Anything else done with the cursor (a fetch, ``rowcount``, iteration, ...) first sends
    what is held back and waits for every result, so it sees what it would have seen had each
    statement been sent alone, in order. What a projection can notice: the error of a failed
    statement surfaces later, at the next such wait or when the runner leaves the ``with``
    block at the end of its savepoint; the savepoint is still the one of the event(s) the
    statement came from, so poison events are told apart as before.

    Pipeline mode is left before any wait for results and before the savepoint ends (psycopg
    3.3's pipeline ``sync()`` can hang when a large message is still partly unsent; leaving
    pipeline mode flushes everything first).
    """

    def __init__(self, cursor: Cursor[Any]) -> None:
        self._cursor = cursor
        self._pipelined = psycopg.Pipeline.is_supported()
        self._pipeline: ExitStack | None = None
        self._query: Any = None
        self._writer: Callable[[Cursor[Any], list[Any]], None] | None = None
        self._held: list[Any] = []

    def __enter__(self) -> "WriteBehindCursor":
        return self

    def as_cursor(self) -> Cursor[Any]:
        """This object, typed as what ``Projection.apply`` takes (it behaves as one)."""
        return cast(Cursor[Any], self)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            try:
                self.sync()
            except BaseException as error:
                self.abandon(error)
                raise
            return
        self.abandon(exc)

    def abandon(self, error: BaseException | None) -> None:
        """Forget what is held back and leave pipeline mode, ignoring the results still due:
        they belong to the event(s) whose savepoint is being rolled back. Left in pipeline
        mode, their error would surface at the next statement of the batch instead."""
        self.discard()
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.__exit__(type(error) if error else Exception, error or Exception("abandoned"),
                              error.__traceback__ if error else None)

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> "WriteBehindCursor":
        if params is None or kwargs:
            self.flush()
            self._send().execute(query, params, **kwargs)
            return self
        if self._held and (self._writer is not None
                           or (query is not self._query and query != self._query)):
            self.flush()
        self._query = query
        self._held.append(dict(params) if isinstance(params, Mapping) else tuple(params))
        return self

    def hold(self, writer: Callable[[Cursor[Any], list[Any]], None], row: Any) -> None:
        """Hold back one row for ``writer``, which writes a run of rows in one go."""
        if self._held and self._writer is not writer:
            self.flush()
        self._writer = writer
        self._held.append(row)

    def flush(self) -> None:
        """Send whatever is held back (without waiting for its results)."""
        if not self._held:
            return
        query, writer, held = self._query, self._writer, self._held
        self.discard()
        cursor = self._send()
        if writer is not None:
            writer(cursor, held)
            return
        if len(held) > 1:
            cursor.executemany(query, held[:-1])
        cursor.execute(query, held[-1])

    def sync(self) -> None:
        """Send whatever is held back and wait for all results; raises the first error."""
        self.flush()
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()

    def discard(self) -> None:
        """Forget what is held back (it was sent, or its savepoint is being rolled back)."""
        self._query, self._writer, self._held = None, None, []

    def _send(self) -> Cursor[Any]:
        if self._pipelined and self._pipeline is None:
            self._pipeline = ExitStack()
            self._pipeline.enter_context(self._cursor.connection.pipeline())
        return self._cursor

    def __getattr__(self, name: str) -> Any:
        self.sync()
        return getattr(self._cursor, name)

    def __iter__(self) -> Any:
        self.sync()
        return iter(self._cursor)
