"""Read model: how did a client's alignment, and the library, stand at any past instant?

Two clocks, kept apart on purpose:
- **recorded** time is when the ledger learned something (the event's timestamp). "As of T,
  recorded" is exactly what any screen or report produced at T showed; nothing recorded later,
  not even a back-dated correction, can change it.
- **observed** time is when the reviewer saw the fact (an answer's ``observed_at``). "As of T,
  observed" is today's best knowledge of how things stood at T: it includes corrections
  recorded later but observed by T. Ratings and library changes take effect when recorded.

Answers are shown with the words of the revision they were given against, beside the revision
in force at T, and flagged when a meaning-changing revision came in between. The previous
answer crosses replacements: a standard that replaced another (or several, or one split into
several) shows the predecessor's answer, marked as given to the predecessor.

The same projection keeps the current library tables and the completed reviews' vectors
(``projections.review_vectors``) that the impact analysis (``projections.impact``) reads.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import Cursor

from aggregates.client import Client
from projections.base import Projection
from projections.history_tables import (
    HISTORY_TOPICS,
    apply_answer_history,
    apply_standard_history,
    create_history_tables,
)
from projections.library_tables import STANDARD_TOPICS, apply_library_event, create_library_tables
from projections.review_tables import (
    ANSWER_EVENTS,
    REVIEW_TOPICS,
    apply_review_event,
    create_review_tables,
)
from projections.review_vectors import apply_vector_event, create_vector_tables


class AsOfProjection(Projection):
    """Answers are kept once, in ``answer_history`` (every state of each, by log position):
    no table of the latest answers beside it (a completed review's vector is read from the
    history), so an answer costs this read model one row."""

    name = "as_of"
    # 2: review stage columns (review_tables); 3: when submission was recorded; 4: no
    # answers table (the history holds them)
    version = 4
    rebuild_cost = 2.1  # relative rebuild CPU per event (Projection.rebuild_cost)
    topics = STANDARD_TOPICS + HISTORY_TOPICS + REVIEW_TOPICS

    def create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        create_review_tables(cur, answers=None)
        create_history_tables(cur)
        create_vector_tables(cur)

    def __init__(self) -> None:
        super().__init__()
        self._batch = threading.local()

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        self._batch.latest, self._batch.answers = {}, {}
        try:
            with super().batch(cur, events):
                yield
        finally:
            self._batch.latest = self._batch.answers = None

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        answers = getattr(self._batch, "answers", None)
        if type(event) is Client.AnswerRecorded:  # most of the log: only its history row
            apply_answer_history(cur, event, position, answers)
            return
        if apply_standard_history(cur, event, position, getattr(self._batch, "latest", None)):
            apply_library_event(cur, event, position)
        else:
            if not isinstance(event, ANSWER_EVENTS):
                apply_review_event(cur, event, position)
            apply_answer_history(cur, event, position, answers)
        apply_vector_event(cur, event)
