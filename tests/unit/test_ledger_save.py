"""The ledger's own ``save`` for aggregates (no runtime-Protocol checks) records what the
library's would."""

from typing import Any

from eventsourcing.domain import Aggregate

from commands.ledger import Ledger


class Note(Aggregate):
    def __init__(self, text: str) -> None:
        self.text = text


def test_a_saved_aggregates_pending_events_are_recorded_and_cleared(
        memory_ledger: Ledger) -> None:
    note = Note("first")
    pending = list(note.pending_events)

    recordings = memory_ledger.save(note)

    assert [r.domain_event for r in recordings] == pending
    assert (note.pending_events, memory_ledger.repository.get(note.id).text) == ([], "first")


def test_a_none_among_the_objects_is_skipped_the_librarys_way(memory_ledger: Ledger) -> None:
    note = Note("second")

    recordings: Any = memory_ledger.save(None, note)

    assert [r.domain_event.originator_id for r in recordings] == [note.id]
