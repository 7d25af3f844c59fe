"""Upserting a run of rows through a staging table loaded by COPY.

Sent as arrays (``INSERT ... SELECT * FROM unnest(%s::uuid[], ...)``), every value of a run
is turned into its wire format by the driver's Python code, one list per column: that was the
costliest Python of a rebuild (answers are most of the log, and four read models keep them).
COPY formats a row in C. So a run of rows is copied into a temporary table of the session
(created when missing, so also after a savepoint that created it was rolled back) and moved
from there into the table in one statement that empties it; a single row is still upserted by
a plain statement.
"""

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor
from psycopg.sql import SQL, Identifier


class StagedUpserter:
    """Upserts rows of ``columns`` into ``table``, the last row of each ``key`` winning (one
    statement may not update a row twice, and the last one would win anyway); ``on_conflict``
    is the statement's ``ON CONFLICT ...`` clause. Runs of rows are copied (``copies``: the
    write-behind cursor leaves pipeline mode for them)."""

    copies = True

    def __init__(self, table: str, columns: Sequence[str], key: Sequence[str],
                 on_conflict: str) -> None:
        staged, names = Identifier(f"staged_{table}"), SQL(", ").join(map(Identifier, columns))
        self.table = table
        self.key = tuple(columns.index(name) for name in key)
        self.one = SQL("INSERT INTO {} ({}) VALUES ({}) " + on_conflict).format(
            Identifier(table), names, SQL(", ").join(SQL("%s") for _ in columns)).as_string()
        self.stage = SQL("CREATE TEMPORARY TABLE IF NOT EXISTS {} (LIKE {})"
                         " ON COMMIT DELETE ROWS").format(staged, Identifier(table)).as_string()
        self.copy = SQL("COPY {} ({}) FROM STDIN").format(staged, names).as_string()
        # the staging table is emptied by the statement that upserts from it
        self.upsert = SQL("WITH staged AS (DELETE FROM {} RETURNING {})"
                          " INSERT INTO {} ({}) SELECT {} FROM staged " + on_conflict).format(
            staged, names, Identifier(table), names, names).as_string()

    def __call__(self, cur: Cursor[Any], rows: Sequence[Sequence[Any]]) -> None:
        if len(rows) == 1:
            cur.execute(self.one, rows[0])
            return
        latest = {tuple(row[n] for n in self.key): row for row in rows}
        cur.execute(self.stage)
        with cur.copy(self.copy) as copy:
            for row in latest.values():
                copy.write_row(row)
        cur.execute(self.upsert)
