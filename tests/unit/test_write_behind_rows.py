"""Rows handed to the write-behind cursor many at a time go out exactly as if held one by one
(see projections.write_behind)."""

from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any

from projections.write_behind import WriteBehindCursor


class RecordingCursor:
    """Stands in for a psycopg cursor: records the statements and runs it is sent, in order."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.connection = SimpleNamespace(pipeline=nullcontext)

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> None:
        self.sent.append((query, params))

    def executemany(self, query: Any, params: Any) -> None:
        self.sent.extend((query, p) for p in params)


def run_writer(cur: Any, rows: Any) -> None:
    cur.sent.append(("run", list(rows)))


def test_rows_held_together_join_the_run_held_one_by_one_before_them() -> None:
    cursor = RecordingCursor()
    writes = WriteBehindCursor(cursor)  # type: ignore[arg-type]
    writes.hold(run_writer, ("a",), "answers")

    writes.hold_rows(run_writer, [("b",), ("c",)], "answers")
    writes.flush()

    assert cursor.sent == [("run", [("a",), ("b",), ("c",)])]


def test_a_statement_held_before_rows_held_together_is_sent_first() -> None:
    cursor = RecordingCursor()
    writes = WriteBehindCursor(cursor)  # type: ignore[arg-type]
    writes.execute("UPDATE reviews SET seq = %s", (1,))

    writes.hold_rows(run_writer, [("b",)], "answers")
    writes.flush()

    assert cursor.sent == [("UPDATE reviews SET seq = %s", (1,)), ("run", [("b",)])]
