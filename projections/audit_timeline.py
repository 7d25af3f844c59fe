"""Read model: who changed what about a client (or a standard), when, from what to what, and why?

One row per event of a client, and per event of a standard (``client_id`` NULL), with the actor,
a summary, the values before and after, and the reason or note. The prior state "before" needs
(profiles, the library, earlier timeline rows) lives in this projection's own tables. Decision
makers appear only by id: their personal data is sealed in the events and never copied here.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor

from aggregates.client import Client
from projections.audit_entries import (
    CLIENT_HANDLERS,
    COLUMNS,
    ENTRY_VALUES,
    STANDARD_EVENTS,
    TimelineEntry,
    answer_recorded,
    standard_changed,
)
from projections.audit_memo import TIMELINE_INDEXES, BatchMemo
from projections.base import Projection
from projections.catalog import add_primary_key, drop_primary_key, output_only
from projections.library_tables import create_library_tables
from projections.write_behind import RowsInserter

TIMELINE = RowsInserter("timeline", ("tenant", *COLUMNS))
#: The timeline's columns that its queries only read out (see :func:`output_only`).
OUTPUT_ONLY = ("summary", "standard_key", "standard_revision", "before", "after", "reason")
TIMELINE_SQL = """
    CREATE TABLE timeline (
        position bigint PRIMARY KEY, occurred_at timestamptz NOT NULL, tenant text NOT NULL,
        aggregate_kind text NOT NULL, client_id uuid, actor text NOT NULL,
        kind text NOT NULL, summary text NOT NULL, standard_id uuid, standard_key text,
        category text, review_id uuid, decision_maker_id uuid, standard_revision int,
        before text, after text, reason text)"""


#: A rebuild's memo holds each client's latest answer per standard and the items of the
#: reviews under way (about 160 bytes each); past this many it is given up for loading per
#: batch (about 80 MB: some 1,600 clients of a 300-standard library).
MEMO_LIMIT = 500_000


class AuditTimelineProjection(Projection):
    name = "audit_timeline"
    # 2: a review's first answer against the previous review's answer; 3: indexes without the
    # tenant, partial by standard and by decision maker (audit_memo.TIMELINE_INDEXES)
    version = 3
    # Its rebuild's CPU per event relative to client_alignment's (see Projection.rebuild_cost):
    # 2.0, and its indexes, built after the load, in the same worker.
    rebuild_cost = 2.3
    topics = tuple(get_topic(cls) for cls in (*CLIENT_HANDLERS, Client.AnswerRecorded,
                                              *STANDARD_EVENTS))

    def __init__(self) -> None:
        self._batch = threading.local()

    def create_tables(self, cur: Cursor[Any]) -> None:
        self._create_tables(cur)
        self.finish_rebuild(cur)

    def create_rebuild_tables(self, cur: Cursor[Any]) -> None:
        """The tables without the timeline's primary key and secondary indexes: while a
        rebuild keeps its memo, nothing reads the timeline back, and its rows only ever go in
        by COPY or a plain INSERT; :meth:`finish_rebuild` creates them."""
        self._create_tables(cur)
        drop_primary_key(cur, "timeline")

    def _create_tables(self, cur: Cursor[Any]) -> None:
        create_library_tables(cur)
        cur.execute("CREATE TABLE profiles (client_id uuid PRIMARY KEY, profile jsonb NOT NULL)")
        cur.execute(TIMELINE_SQL)
        output_only(cur, "timeline", OUTPUT_ONLY)

    def finish_rebuild(self, cur: Cursor[Any]) -> None:
        add_primary_key(cur, "timeline", ("position",))
        for statement in TIMELINE_INDEXES:
            cur.execute(statement)

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """One memo for the whole build, never read back from the tables (a fact it lacks
        was never written); after a failed batch, back to loading per batch."""
        self._batch.kept = BatchMemo(complete=True)
        try:
            yield
        finally:
            self._batch.kept = None

    def batch_failed(self) -> None:
        if getattr(self._batch, "kept", None) is not None:
            self._batch.kept, self._batch.indexed = None, False

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        memo = getattr(self._batch, "kept", None)
        if memo is not None and memo.size() > MEMO_LIMIT:
            self.batch_failed()  # memory bounded: on per batch, as after a failed batch
            memo = None
        if memo is None:
            if getattr(self._batch, "indexed", True) is False:  # a rebuild gave up its memo
                self.finish_rebuild(cur)
                self._batch.indexed = True
            memo = BatchMemo()
            memo.load(cur, events)
        self._batch.memo = memo
        try:
            yield
        finally:
            self._batch.memo = None

    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        # Outside a batch (a dead letter retried) an empty memo loads what it needs by itself.
        memo = getattr(self._batch, "memo", None) or BatchMemo()
        if type(event) is Client.AnswerRecorded:  # most of the log
            TIMELINE.write(cur, answer_recorded(cur, event, position, memo))
            return
        is_standard = isinstance(event, STANDARD_EVENTS)
        kind, client_id = ("standard", None) if is_standard else ("client", event.originator_id)
        row = partial(TimelineEntry, position, event.timestamp, kind, client_id, event.by)
        entry = (standard_changed(cur, event, row, position, memo) if is_standard
                 else CLIENT_HANDLERS[type(event)](cur, event, row, memo))
        TIMELINE.write(cur, (event.tenant, *ENTRY_VALUES(entry)))
