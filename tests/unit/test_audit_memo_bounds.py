"""A rebuild's audit memo holds the reviews under way, not the whole log (see
projections.audit_memo)."""

from typing import Any
from uuid import uuid4

from projections.audit_memo import ANSWERS_SQL, BatchMemo


class RecordingCursor:
    """Answers each query with its rows in ``rows`` (none by default) and keeps the queries."""

    def __init__(self, rows: dict[str, list[Any]]) -> None:
        self.rows, self.queries = rows, []  # type: dict[str, list[Any]], list[str]

    def execute(self, query: str, params: Any = None) -> "RecordingCursor":
        self.queries.append(query)
        return self

    def fetchall(self) -> list[Any]:
        return self.rows.get(self.queries[-1], [])


def test_a_complete_memo_forgets_the_items_of_a_finalised_review() -> None:
    memo, review = BatchMemo(complete=True), uuid4()
    memo.set_answer((review, uuid4()), "no")
    memo.set_rating((review, uuid4()), "marginal")

    memo.finalised(review)

    assert (memo.answers, memo.ratings, memo.size()) == ({}, {}, 0)


def test_a_complete_memo_keeps_the_items_of_reviews_still_under_way() -> None:
    memo, finalised, open_review, standard = BatchMemo(complete=True), uuid4(), uuid4(), uuid4()
    memo.set_answer((finalised, standard), "no")
    memo.set_answer((open_review, standard), "yes")

    memo.finalised(finalised)

    assert memo.answers == {(open_review, standard): "yes"}


def test_an_item_of_a_forgotten_review_is_read_back_from_the_tables() -> None:
    memo, review, standard = BatchMemo(complete=True), uuid4(), uuid4()
    memo.set_answer((review, standard), "no")
    memo.finalised(review)
    cur = RecordingCursor({ANSWERS_SQL: [(review, standard, "no")]})

    answer = memo.answer(cur, (review, standard))  # type: ignore[arg-type]

    assert answer == "no" and ANSWERS_SQL in cur.queries


def test_a_complete_memo_reads_nothing_back_for_an_item_it_never_saw() -> None:
    memo, cur = BatchMemo(complete=True), RecordingCursor({})

    answer = memo.answer(cur, (uuid4(), uuid4()))  # type: ignore[arg-type]

    assert answer is None and cur.queries == []
