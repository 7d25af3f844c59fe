"""What a projection is: a name, the event topics it reads, its tables, and how it applies one event."""

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from psycopg import Cursor


class Projection(ABC):
    """One read model. ``apply`` runs with ``search_path`` set to the projection's own schema,
    inside the transaction that also advances its tracking position."""

    name: ClassVar[str]
    topics: ClassVar[tuple[str, ...]]
    #: The shape of this read model's tables. Bump it when ``create_tables`` or ``apply``
    #: changes; on start, a live generation of an older shape is rebuilt aside and swapped in.
    version: ClassVar[int] = 1
    #: Work per event applied, relative to a read model of plain upserts (1.0): a rebuild
    #: shares read models out between its workers by it (see :mod:`projections.rebuild_workers`).
    #: The read models that apply answers (most of the log) carry a measured cost: the Python
    #: and PostgreSQL CPU of a rebuild of that read model alone on the 200,000-event benchmark
    #: log, less reading and decoding the log, relative to ``client_alignment``'s (2026-11-28:
    #: shared out by these, both workers end within 0.1-0.9 s of each other, and the rebuild
    #: beat the earlier costs in 5 alternating runs of 7, medians 16,766 against 16,003
    #: events/s; by the earlier ones, which weighed as_of, score_history and vcio_dashboard
    #: together, the second worker ended 1.35 s after the first).
    rebuild_cost: ClassVar[float] = 1.0

    @abstractmethod
    def create_tables(self, cur: Cursor[Any]) -> None:
        """Create this projection's tables (unqualified names) in an empty schema."""

    @abstractmethod
    def apply(self, cur: Cursor[Any], event: Any, position: int) -> None:
        """Apply one decoded domain event, found at ``position`` in the log."""

    @contextmanager
    def batch(self, cur: Cursor[Any], events: Sequence[Any]) -> Iterator[None]:
        """The runner applies ``events`` inside this block (and nothing else): a projection
        may load what they need in a few queries before, instead of a query per event, and
        must forget it after (the block's savepoint may be rolled back)."""
        yield

    # --- rebuild mode: a fresh, empty generation built from the start of the log ----------

    def create_rebuild_tables(self, cur: Cursor[Any]) -> None:
        """The tables of a generation a rebuild is about to fill: by default those of
        :meth:`create_tables`; a projection may leave out secondary indexes that only
        readers use and create them in :meth:`finish_rebuild`, after the bulk load."""
        self.create_tables(cur)

    def rebuilding(self) -> AbstractContextManager[None]:
        """Entered by the thread that builds a fresh generation of this read model from the
        start of the log, around the whole build: everything in its tables is then written
        by this thread, so a projection may keep what it reads back of them in memory for
        the whole build rather than query it per batch. What it keeps must follow only the
        batches that commit (see :meth:`batch_failed`)."""
        return nullcontext()

    def batch_failed(self) -> None:
        """The batch just applied (in this thread) was rolled back: forget anything kept
        in memory across batches; what follows must read it back from the tables."""
        return None

    def finish_rebuild(self, cur: Cursor[Any]) -> None:
        """After the build and before the catch-up and swap: create what
        :meth:`create_rebuild_tables` left out."""
        return None


@dataclass(frozen=True)
class RawEvent:
    """One event as stored in the log, not yet decoded."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
