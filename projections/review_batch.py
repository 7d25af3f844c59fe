"""Rebuild mode for the review tables: the answers of a review started in the batch at hand
are kept in memory and loaded with one COPY, instead of upserted, rated and sent back row by
row in the table.

A review started in this batch has no answer rows in the table yet, so its answers can be
worked out in memory (a changed answer replaces the row, a rating or a comment sent back
sets its column, exactly as the statements would) and inserted once: when the review is
finalised (the read models read its answers back then) or when the batch ends, inside the
batch's savepoint. Answers to a review started in an earlier batch take the statements of
:mod:`projections.review_tables`. Nothing is kept from one batch to the next, so a batch that
is rolled back takes its answers with it and memory never grows past one batch: at most the
answer rows of the reviews started in it (a few hundred bytes each).
"""

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from uuid import UUID

from psycopg import Cursor

from projections.write_behind import RowsInserter

#: The answers table's columns, in the order a buffered row keeps them.
COLUMNS = ("review_id", "standard_id", "client_id", "tenant", "standard_revision",
           "expected_answer", "answer", "note", "observed_at", "answered_by", "recorded_at",
           "position", "rating", "sent_back")
RATING, SENT_BACK = COLUMNS.index("rating"), COLUMNS.index("sent_back")
ANSWERS = RowsInserter("answers", COLUMNS)


class AnswerBuffer:
    """The answer rows of the reviews started in one batch, by review and standard, for one
    table (``inserter``): a row is the answer's columns then ``blanks`` columns an answer
    clears (its rating and sent-back comment in ``answers``)."""

    def __init__(self, inserter: RowsInserter = ANSWERS, blanks: int = 2) -> None:
        self.inserter, self.blanks = inserter, (None,) * blanks
        self.reviews: dict[UUID, dict[UUID, list[Any]]] = {}
        #: Rebuild mode: the clients whose answers this build may have finalised so far (kept
        #: across its batches by :class:`ReviewBatches`): every client whose answers it wrote
        #: to a table, finalised or still pending (more after a batch rolled back, never
        #: fewer), so a client's first finalised review can be inserted rather than upserted.
        #: None: not known.
        self.finalised: set[UUID] | None = None

    def started(self, review_id: UUID) -> None:
        self.reviews[review_id] = {}

    def record(self, row: tuple[Any, ...]) -> bool:
        """Keep an answer row (review id and standard id first); False when its review was
        not started in this batch (the caller upserts it)."""
        answers = self.reviews.get(row[0])
        if answers is None:
            return False
        answers[row[1]] = [*row, *self.blanks]  # a new answer replaces the row, blanks included
        return True

    def set(self, review_id: UUID, standard_id: UUID, column: int, value: Any) -> bool:
        """Set a column of a kept answer (none kept: nothing, as an UPDATE of no row); False
        when the review was not started in this batch."""
        answers = self.reviews.get(review_id)
        if answers is None:
            return False
        row = answers.get(standard_id)
        if row is not None:
            row[column] = value
        return True

    def take(self, review_id: UUID) -> list[list[Any]] | None:
        """The review's kept rows, forgotten here (None when it was not started in this
        batch); later answers to it take the statements."""
        answers = self.reviews.pop(review_id, None)
        return None if answers is None else list(answers.values())

    def write(self, cur: Cursor[Any], review_id: UUID) -> None:
        """Insert the review's kept rows now (their clients' answers may then be finalised
        from the table: see :attr:`finalised`)."""
        rows = self.take(review_id)
        if rows:
            self.inserter.write_rows(cur, rows)
            if self.finalised is not None:
                self.finalised.update(row[2] for row in rows)

    def write_all(self, cur: Cursor[Any]) -> None:
        for review_id in list(self.reviews):
            self.write(cur, review_id)


class ReviewBatches:
    """Which thread builds in rebuild mode, and the answer buffer of its batch at hand; a
    read model that keeps the review tables holds one and routes its hooks through it."""

    def __init__(self, buffer: Callable[[], AnswerBuffer] = AnswerBuffer) -> None:
        self._local = threading.local()
        self._new_buffer = buffer

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        self._local.on, self._local.finalised = True, set()
        try:
            yield
        finally:
            self._local.on, self._local.finalised = False, None

    @contextmanager
    def batch(self, cur: Cursor[Any]) -> Iterator[None]:
        if not getattr(self._local, "on", False):
            yield
            return
        self._local.buffer = buffer = self._new_buffer()
        buffer.finalised = self._local.finalised
        try:
            yield
            buffer.write_all(cur)
        finally:
            self._local.buffer = None

    @property
    def buffer(self) -> AnswerBuffer | None:
        found: AnswerBuffer | None = getattr(self._local, "buffer", None)
        return found


class KeepsReviewTables:
    """Mixed into a read model that keeps the review tables (before ``Projection``): its
    rebuild builds them through a :class:`ReviewBatches`, passed on as ``self.reviews.buffer``
    to :func:`~projections.review_tables.apply_review_event`."""

    #: What a batch of a rebuild keeps (the ``answers`` rows by default).
    review_buffer: Callable[[], AnswerBuffer] = AnswerBuffer

    def __init__(self) -> None:
        self._reviews = ReviewBatches(type(self).review_buffer)

    @property
    def reviews(self) -> ReviewBatches:
        """Made on first use too, for a subclass whose constructor skips this one's (it then
        builds as the runners do in any thread that started before it was made)."""
        found: ReviewBatches | None = self.__dict__.get("_reviews")
        if found is None:
            found = self.__dict__.setdefault("_reviews", ReviewBatches(type(self).review_buffer))
        return found

    def rebuilding(self) -> AbstractContextManager[None]:
        return self.reviews.rebuilding()

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        with self.reviews.batch(cur):
            yield
