"""Rebuild mode's answer buffer works an answer's row out in memory exactly as the review
tables' statements would (see projections.review_batch)."""

from typing import Any
from uuid import UUID, uuid4

from projections.review_batch import RATING, SENT_BACK, AnswerBuffer, ReviewBatches


class HoldingCursor:
    """Stands in for the write-behind cursor: keeps the rows held for each table."""

    def __init__(self) -> None:
        self.held: list[tuple[str, Any]] = []

    def hold(self, writer: Any, row: Any, table: str) -> None:
        self.held.append((table, row))

    def hold_rows(self, writer: Any, rows: Any, table: str) -> None:
        self.held.extend((table, row) for row in rows)


def answer_row(review_id: UUID, standard_id: UUID, answer: str = "no") -> tuple[Any, ...]:
    return (review_id, standard_id, uuid4(), "msp", 1, "yes", answer, "note", None, "tam",
            None, 7)


def test_a_changed_answer_replaces_the_kept_row_and_clears_its_rating() -> None:
    buffer, review, standard = AnswerBuffer(), uuid4(), uuid4()
    buffer.started(review)
    buffer.record(answer_row(review, standard, "no"))
    buffer.set(review, standard, RATING, "marginal")

    buffer.record(answer_row(review, standard, "yes"))

    [row] = buffer.take(review) or []
    assert (row[6], row[RATING], row[SENT_BACK]) == ("yes", None, None)


def test_a_rating_and_a_comment_sent_back_are_set_on_the_kept_row() -> None:
    buffer, review, standard = AnswerBuffer(), uuid4(), uuid4()
    buffer.started(review)
    buffer.record(answer_row(review, standard))

    buffer.set(review, standard, RATING, "highly_vulnerable")
    buffer.set(review, standard, SENT_BACK, "check again")

    [row] = buffer.take(review) or []
    assert (row[RATING], row[SENT_BACK]) == ("highly_vulnerable", "check again")


def test_a_rating_of_a_standard_not_answered_changes_nothing_like_an_update_of_no_row() -> None:
    buffer, review = AnswerBuffer(), uuid4()
    buffer.started(review)

    handled = buffer.set(review, uuid4(), RATING, "marginal")

    assert handled and buffer.take(review) == []


def test_answers_to_a_review_started_in_an_earlier_batch_are_left_to_the_statements() -> None:
    buffer, review = AnswerBuffer(), uuid4()

    kept = buffer.record(answer_row(review, uuid4()))

    assert not kept and not buffer.set(review, uuid4(), RATING, "marginal")


def test_a_review_taken_at_its_finalisation_leaves_later_answers_to_the_statements() -> None:
    buffer, review = AnswerBuffer(), uuid4()
    buffer.started(review)
    buffer.take(review)

    kept = buffer.record(answer_row(review, uuid4()))

    assert not kept


def test_outside_a_rebuild_a_batch_has_no_buffer() -> None:
    batches = ReviewBatches()

    with batches.batch(HoldingCursor()):
        buffer = batches.buffer

    assert buffer is None


def test_a_batch_of_a_rebuild_writes_the_answers_it_kept_when_it_ends() -> None:
    batches, cur, review = ReviewBatches(), HoldingCursor(), uuid4()
    with batches.rebuilding(), batches.batch(cur):
        assert batches.buffer is not None
        batches.buffer.started(review)
        batches.buffer.record(answer_row(review, uuid4()))
        batches.buffer.record(answer_row(review, uuid4()))

    assert [table for table, _ in cur.held] == ["answers", "answers"]


def test_a_batch_that_fails_writes_nothing_and_forgets_its_answers() -> None:
    batches, cur, review = ReviewBatches(), HoldingCursor(), uuid4()
    with batches.rebuilding():
        try:
            with batches.batch(cur):
                assert batches.buffer is not None
                batches.buffer.started(review)
                batches.buffer.record(answer_row(review, uuid4()))
                raise RuntimeError("poison")
        except RuntimeError:
            pass
        left = batches.buffer

    assert cur.held == [] and left is None
