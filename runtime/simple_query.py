"""A message of several statements, its values written in as SQL literals, sent through libpq
with none of a cursor's bookkeeping.

The commit message of a group (:mod:`runtime.group_inserts`) is sent by the group's leader,
one group after another, so each microsecond of Python it costs is on the path that writes
every group: measured, psycopg's client-side cursor spent about 150 us of CPU per message
(the query parsed for placeholders and each value adapted, then a cursor state, row maker
and description built for each of the message's six results), this about 70 us. The values
are array literals (:mod:`runtime.array_text`) quoted here as SQL string literals, the
statements fixed text rendered once by ``psycopg.sql``; only the rows of the one result that
has rows (the events' ``RETURNING``) are read.

Errors are psycopg's own: a statement that fails raises the exception psycopg's cursor would
raise for it (``UniqueViolation`` for a broken unique rule), a lost connection the
``OperationalError`` of libpq's failure, with the connection marked broken as psycopg does.
"""

import contextlib
from collections.abc import Callable, Iterable, Sequence

import psycopg
from psycopg import Connection, errors, generators
from psycopg.abc import Buffer
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg.pq.abc import PGresult
from psycopg.rows import DictRow

NUL_REFUSED = "PostgreSQL text fields cannot contain NUL (0x00) bytes"


def quoted(text: str, standard_strings: bool = True) -> str:
    """``text`` as an SQL string literal: quotes doubled (and, unless the server has
    ``standard_conforming_strings`` on, backslashes doubled in an ``E''`` literal). A NUL,
    which no PostgreSQL text can hold, is refused as psycopg refuses it."""
    if "\x00" in text:
        raise psycopg.DataError(NUL_REFUSED)
    if standard_strings:
        return "'" + text.replace("'", "''") + "'"
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def standard_strings(conn: Connection[DictRow]) -> bool:
    """Whether the server reads backslashes in ``'...'`` literals as plain characters."""
    return conn.pgconn.parameter_status(b"standard_conforming_strings") == b"on"


def with_literals(parts: Sequence[str], values: Sequence[str], standard: bool) -> str:
    """The message whose text is ``parts`` with each of ``values`` quoted between two of
    them (``len(parts) == len(values) + 1``); ``standard``: see :func:`standard_strings`."""
    if len(parts) != len(values) + 1:
        raise ValueError(f"{len(values)} values for {len(parts) - 1} places")
    pieces = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        pieces.append(quoted(value, standard))
        pieces.append(part)
    return "".join(pieces)


def run(conn: Connection[DictRow], message: str) -> list[PGresult]:
    """Send ``message`` (any number of statements) and answer its results, or raise the
    first error among them."""
    if conn.closed:
        raise psycopg.OperationalError("the connection is closed")
    with conn.lock:
        conn.pgconn.send_query(message.encode(conn.info.encoding))
        results: list[PGresult] = conn.wait(generators.execute(conn.pgconn))
    for result in results:
        if result.status == ExecStatus.FATAL_ERROR:
            raise errors.error_from_result(result, encoding=conn.info.encoding)
    return results


def start_copy(conn: Connection[DictRow], message: str) -> list[PGresult]:
    """Send ``message``, whose statements end with (or go on after) a ``COPY ... FROM STDIN``,
    and answer the results up to the COPY's, the connection then waiting for the COPY's data
    (:func:`finish_copy`); or raise the first error among them (the server then skipped the
    rest of the message: no COPY, no statement after it)."""
    results = run(conn, message)
    if not results or results[-1].status != ExecStatus.COPY_IN:
        raise psycopg.ProgrammingError("the message did not start a COPY FROM STDIN")
    return results


def finish_copy(conn: Connection[DictRow], chunks: Iterable[Buffer],
                before_end: Callable[[], None] = lambda: None,
                after_end: Callable[[], None] = lambda: None) -> list[PGresult]:
    """Send the COPY's data, call ``before_end``, end the data, call ``after_end`` while the
    server runs the rest (the client would wait idle), and answer the results of the COPY and
    of the statements after it in its message; or raise the first error among them. If
    sending fails on the client's side (``chunks`` or ``before_end`` raising), the COPY is
    abandoned (the server rolls its statement back) before the error goes on; should
    ``after_end`` raise, the results are read all the same before its error goes on."""
    pgconn = conn.pgconn
    with conn.lock:
        try:
            for chunk in chunks:
                conn.wait(generators.copy_to(pgconn, chunk, False))
            before_end()
        except BaseException as error:
            if not conn.closed and pgconn.transaction_status == TransactionStatus.ACTIVE:
                with contextlib.suppress(psycopg.Error):
                    conn.wait(generators.copy_end(pgconn, f"abandoned: {error!r}"[:200].encode()))
            raise
        while pgconn.put_copy_end(None) == 0:
            conn.wait(generators.send(pgconn))
        conn.wait(generators.send(pgconn))
        try:
            after_end()
        finally:
            results: list[PGresult] = conn.wait(generators.fetch_many(pgconn))
    for result in results:
        if result.status == ExecStatus.FATAL_ERROR:
            raise errors.error_from_result(result, encoding=conn.info.encoding)
    return results


def first_column(results: Sequence[PGresult]) -> list[bytes | None]:
    """The first column's values (as text) of every row the message's results hold."""
    return [result.get_value(row, 0) for result in results
            if result.status == ExecStatus.TUPLES_OK for row in range(result.ntuples)]
