"""Knowing whether a write committed when the connection broke under it, so that it is retried
only when that is safe.

A server restart, a failover or ``pg_terminate_backend`` closes every pooled connection; the
pool does not notice until one is used. A save that fails that way falls in one of two cases:

* The connection broke **before COMMIT was sent**. PostgreSQL rolls back the transaction of a
  client that goes away, so nothing was written: trying once more on a fresh connection is
  safe and is what the library's recorder does (``test_retry_insert_events_after_closing_
  connection``).
* The connection broke **while COMMIT was on its way**: the server may have committed and died
  before answering, or not. A blind retry could record the events twice (a version-less
  command is decided again on fresh state and would append a second answer); giving up could
  report as failed a save that is in the log. Two ways settle it, on a fresh connection:

  - A transaction of more than one message (a COPY's) asks the server for its id first
    (``pg_current_xact_id()``, answered before the message that carries COMMIT), and then
    ``pg_xact_status(xid)`` tells: *committed* - the save stands and its ids are answered;
    *aborted* - nothing was written, retry; *in progress* - the server is still finishing it,
    ask again for up to a second.
  - A transaction sent whole in one message (BEGIN to COMMIT: an ordinary group) never sees
    its id before its COMMIT's answer, so it notes the server process running it
    (``backend_pid``, known on the client). Once that process has ended, its transaction is
    over for good (committed, or rolled back as the process ended), and the log tells which:
    every event of the group under its key, topic and state byte for byte - it committed, the
    ids are answered; otherwise it did not (a key held by other bytes is another writer's,
    whose commit made this one's insert fail), retry. The process is asked about for up to a
    second, as an *in progress* transaction is. Events that match byte for byte could only be
    another writer's if it decided exactly the same events at the same microsecond; the log
    then holds what this save meant to write.

  Anything else (still in progress, or the database unreachable) - the outcome is unknown and
  the caller gets an ``OperationalError`` (HTTP 503). A command sent with an idempotency key
  can then be retried by its sender: the key answers the first result if the save did commit.

Errors that leave the connection usable are never retried here: a lock timeout
(``LockNotAvailable``) and a cancelled statement mean "busy", and must reach the caller as 503
rather than wait twice.
"""

import time
from collections.abc import Callable, Sequence

import psycopg
from eventsourcing.persistence import OperationalError
from psycopg import Connection
from psycopg.rows import DictRow

UNKNOWN_OUTCOME = ("the database connection was lost while committing and the server cannot"
                   " yet tell whether the save was recorded")


class NothingCommittedError(Exception):
    """The attempt certainly wrote nothing (its connection was lost before or during an aborted
    commit): writing it again is safe."""


def connection_lost(conn: Connection[DictRow], error: BaseException) -> bool:
    """Whether ``error`` came from a connection that is gone (not from a busy or refused
    statement on a live one)."""
    if isinstance(error, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError) and (
        conn.broken or conn.closed)


def settle_commit(error: BaseException, xid: str | None, status_of: Callable[[str], str | None],
                  settle_seconds: float = 1.0) -> None:
    """After COMMIT lost its connection with ``error``: return if the transaction did commit,
    raise :class:`NothingCommittedError` if it certainly did not, else ``OperationalError``.
    A transaction still in progress is asked about again for up to ``settle_seconds``.
    Called with the lost connection given back, since ``status_of`` needs one of its own."""
    if xid is None:
        raise NothingCommittedError(str(error)) from error
    deadline = time.monotonic() + settle_seconds
    status = status_of(xid)
    while status == "in progress" and time.monotonic() < deadline:
        time.sleep(0.05)  # the server is finishing the COMMIT it got before the client left
        status = status_of(xid)
    if status == "committed":
        return
    if status == "aborted":
        raise NothingCommittedError(str(error)) from error
    raise OperationalError(f"{UNKNOWN_OUTCOME} (transaction status: {status})") from error


def settle_by_rows(error: BaseException, backend_gone: Callable[[], bool],
                   committed_ids: Callable[[], Sequence[int] | None],
                   settle_seconds: float = 1.0) -> Sequence[int]:
    """After a one-message transaction lost its connection with ``error``: once its server
    process has ended (``backend_gone``, asked about for up to ``settle_seconds``), answer the
    ids the log gives its events if it committed (``committed_ids``: None if the log does not
    hold them as sent), raise :class:`NothingCommittedError` if it did not, else (the process
    still running) ``OperationalError``. Called with the lost connection given back."""
    deadline = time.monotonic() + settle_seconds
    gone = backend_gone()
    while not gone and time.monotonic() < deadline:
        time.sleep(0.05)  # the server is finishing the message it got before the client left
        gone = backend_gone()
    if not gone:
        raise OperationalError(f"{UNKNOWN_OUTCOME} (its server process is still running)"
                               ) from error
    ids = committed_ids()
    if ids is None:
        raise NothingCommittedError(str(error)) from error
    return ids
