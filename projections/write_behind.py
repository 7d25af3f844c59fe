"""Write-behind writes for a batch of events: statements go out without waiting for results."""

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any, cast

import psycopg
from psycopg import Cursor
from psycopg.sql import SQL, Composable, Identifier, Placeholder

from projections.copy_binary import TableTypes, fits_binary

RowWriter = Callable[[Cursor[Any], Sequence[Any]], None]


class WriteBehindCursor:
    """The cursor a batch applies its events through: writes go out without waiting.

    Applied one statement at a time, a batch waits for a round trip per statement, and the
    server idles while Python decodes the next event. This cursor instead

    - sends statements in pipeline mode, so the server executes them while Python goes on;
    - holds back consecutive ``execute`` calls of one query and sends all but the last with
      ``executemany`` (one message), then the last with ``execute``;
    - holds back rows given to ``hold(writer, row, table)`` and hands each run to
      ``writer(cursor, rows)``, which writes it in one statement. Runs for different tables
      are held side by side (a writer writes only its own table, so they commute); a writer
      of the same table, or any ``execute``, first sends what is held, in order;
    - renders a composed query (``psycopg.sql``) to bytes once per cursor.

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

    def __init__(self, cursor: Cursor[Any], table_types: TableTypes | None = None) -> None:
        self._cursor = cursor
        self._table_types = table_types
        self._pipelined = psycopg.Pipeline.is_supported()
        self._pipeline: ExitStack | None = None
        self._query: Any = None
        self._held: list[Any] = []
        self._runs: dict[str, tuple[RowWriter, list[Any]]] = {}
        self._rendered: dict[int, tuple[Composable, bytes]] = {}

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
        if isinstance(query, Composable):
            query = self._render(query)
        self._flush_runs()
        if params is None or kwargs:
            self._flush_query()
            self._send().execute(query, params, **kwargs)
            return self
        if self._held and query is not self._query and query != self._query:
            self._flush_query()
        self._query = query
        self._held.append(dict(params) if isinstance(params, Mapping) else tuple(params))
        return self

    def hold(self, writer: RowWriter, row: Any, table: str) -> None:
        """Hold back one row for ``writer``, which writes a run of rows into ``table`` (and
        nothing else) in one go."""
        run = self._runs.get(table)
        if run is not None and run[0] is writer and not self._held:  # most rows: a run goes on
            run[1].append(row)
            return
        self._run(writer, table).append(row)

    def hold_rows(self, writer: RowWriter, rows: Sequence[Any], table: str) -> None:
        """Hold back several rows for ``writer`` at once (as many :meth:`hold` calls would)."""
        self._run(writer, table).extend(rows)

    def _run(self, writer: RowWriter, table: str) -> list[Any]:
        """The rows held for ``writer`` into ``table`` (after sending what must go first)."""
        self._flush_query()
        run = self._runs.get(table)
        if run is not None and run[0] is not writer:
            self._flush_run(table)
            run = None
        if run is None:
            self._runs[table] = run = (writer, [])
        return run[1]

    def flush(self) -> None:
        """Send whatever is held back (without waiting for its results)."""
        self._flush_query()
        self._flush_runs()

    def sync(self) -> None:
        """Send whatever is held back and wait for all results; raises the first error."""
        self.flush()
        self._leave_pipeline()

    def discard(self) -> None:
        """Forget what is held back (it was sent, or its savepoint is being rolled back)."""
        self._query, self._held, self._runs = None, [], {}

    def _flush_query(self) -> None:
        if not self._held:
            return
        query, held = self._query, self._held
        self._query, self._held = None, []
        cursor = self._send()
        if len(held) > 1:
            cursor.executemany(query, held[:-1])
        cursor.execute(query, held[-1])

    def _flush_runs(self) -> None:
        for table in list(self._runs):
            self._flush_run(table)

    def _flush_run(self, table: str) -> None:
        writer, rows = self._runs.pop(table)
        if len(rows) > 1 and isinstance(writer, RowsInserter):
            self._leave_pipeline()  # COPY cannot run in pipeline mode
            writer.copy(self._cursor, rows, self._table_types)
            return
        writer(self._send(), rows)

    def _leave_pipeline(self) -> None:
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()

    def _render(self, query: Composable) -> bytes:
        found = self._rendered.get(id(query))
        if found is None or found[0] is not query:
            found = self._rendered[id(query)] = (query, query.as_bytes(self._cursor))
        return found[1]

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


def write_row(cur: Cursor[Any], writer: RowWriter, row: Any, table: str) -> None:
    """Write one row now, or hand it to a cursor that writes runs of rows together."""
    hold: Callable[[RowWriter, Any, str], None] | None = getattr(cur, "hold", None)
    if hold is None:
        writer(cur, [row])
    else:
        hold(writer, row, table)


class RowsInserter:
    """Inserts rows of ``columns`` into ``table`` (rows only ever added, never updated): one
    row with a plain INSERT, a run of rows with COPY (its rows are formatted in C: the
    cheapest way in for the append-only tables that grow with every event), in binary
    format when the table's column types are known and every value fits them
    (:mod:`projections.copy_binary`), else in text."""

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        names = SQL(", ").join(map(Identifier, columns))
        self.one = SQL("INSERT INTO {} ({}) VALUES ({})").format(
            Identifier(table), names, SQL(", ").join(Placeholder() * len(columns))).as_string()
        self.copy_text = SQL("COPY {} ({}) FROM STDIN").format(Identifier(table), names).as_string()
        self.copy_binary = SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            Identifier(table), names).as_string()

    def __call__(self, cur: Cursor[Any], rows: Sequence[Any]) -> None:
        self.copy(cur, rows)

    def copy(self, cur: Cursor[Any], rows: Sequence[Any], table_types: TableTypes | None = None
             ) -> None:
        """Insert ``rows``: one by INSERT; more by COPY, in binary format when ``table_types``
        knows the table's column types and every value fits them."""
        if len(rows) == 1:
            cur.execute(self.one, rows[0])
            return
        types = table_types.binary(cur, self.table, self.columns) if table_types else None
        if types is not None and fits_binary(rows, types):
            with cur.copy(self.copy_binary) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
            return
        with cur.copy(self.copy_text) as copy:
            for row in rows:
                copy.write_row(row)

    def write(self, cur: Cursor[Any], row: Sequence[Any]) -> None:
        """Insert ``row`` now, or hold it for a run (see :func:`write_row`)."""
        hold: Callable[[RowWriter, Any, str], None] | None = getattr(cur, "hold", None)
        if hold is None:
            self(cur, [tuple(row)])
        else:
            hold(self, row if type(row) is tuple else tuple(row), self.table)

    def write_rows(self, cur: Cursor[Any], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` now, or hold them for a run, in one call (not one per row)."""
        hold_rows: Callable[[RowWriter, Any, str], None] | None = getattr(cur, "hold_rows", None)
        if hold_rows is not None:
            hold_rows(self, rows, self.table)
        elif rows:
            self(cur, rows)
