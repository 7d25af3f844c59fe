"""Rebuild mode's answer buffer works an answer's row out in memory exactly as the review
tables' statements would (see projections.review_batch)."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from aggregates.client import Client
from events.vocabulary import Answer, ExpectedAnswer
from projections.directory_tables import apply_answer_event, pending_buffer
from projections.review_batch import RATING, SENT_BACK, AnswerBuffer, ReviewBatches

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


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


class FinalisingCursor(HoldingCursor):
    """Also keeps the statements executed (an upsert of finalised answers is one)."""

    def __init__(self) -> None:
        super().__init__()
        self.executed: list[str] = []

    def execute(self, query: Any, params: Any = None) -> None:
        self.executed.append(str(query).split(" (")[0])


def event_of(client: UUID) -> dict[str, Any]:
    return {"originator_id": client, "originator_version": 1, "timestamp": NOW, "tenant": "msp"}


def answered(client: UUID, review: UUID) -> Any:
    return Client.AnswerRecorded(
        **event_of(client), review_id=review, standard_id=uuid4(), standard_revision=1,
        expected_answer=ExpectedAnswer.YES, answer=Answer.NO, note="", observed_at=NOW, by="tam")


def finalised_review(batches: ReviewBatches, cur: FinalisingCursor, client: UUID) -> None:
    """A review of ``client`` started, answered twice and finalised in one batch."""
    review = uuid4()
    with batches.batch(cur):
        buffer = batches.buffer
        apply_answer_event(cur, Client.ReviewStarted(**event_of(client), review_id=review,
                                                     categories=[], started_at=NOW, by="tam"),
                           buffer)
        for _ in range(2):
            apply_answer_event(cur, answered(client, review), buffer)
        apply_answer_event(cur, Client.ReviewCompleted(**event_of(client), review_id=review,
                                                       completed_at=NOW, unrated_as=None,
                                                       by="vcio"), buffer)


def test_a_rebuild_inserts_a_clients_first_finalised_answers_without_an_upsert() -> None:
    batches, cur = ReviewBatches(pending_buffer), FinalisingCursor()

    with batches.rebuilding():
        finalised_review(batches, cur, uuid4())

    assert ([table for table, _ in cur.held], cur.executed) == (
        ["standard_answers", "standard_answers"], [])


def test_a_rebuild_upserts_a_clients_later_finalised_answers_over_its_first() -> None:
    batches, cur, client = ReviewBatches(pending_buffer), FinalisingCursor(), uuid4()
    with batches.rebuilding():
        finalised_review(batches, cur, client)
        cur.held.clear()

        finalised_review(batches, cur, client)

    assert (cur.held, cur.executed) == ([], ["INSERT INTO standard_answers"])


def test_a_client_with_answers_pending_from_an_earlier_batch_is_never_inserted_again() -> None:
    batches, cur, client = ReviewBatches(pending_buffer), FinalisingCursor(), uuid4()
    with batches.rebuilding():
        with batches.batch(cur):  # a review started before this batch: its answer is pending
            apply_answer_event(cur, answered(client, uuid4()), batches.buffer)
        cur.held.clear()

        finalised_review(batches, cur, client)

    assert (cur.held, cur.executed) == ([], ["INSERT INTO standard_answers"])


def test_a_client_whose_review_was_left_pending_at_a_batch_end_is_never_inserted_again(
) -> None:
    batches, cur, client, review = (ReviewBatches(pending_buffer), FinalisingCursor(), uuid4(),
                                    uuid4())
    with batches.rebuilding():
        with batches.batch(cur):  # its review started here, finalised in a later batch
            apply_answer_event(cur, Client.ReviewStarted(
                **event_of(client), review_id=review, categories=[], started_at=NOW, by="tam"),
                batches.buffer)
            apply_answer_event(cur, answered(client, review), batches.buffer)
        cur.held.clear()

        finalised_review(batches, cur, client)

    assert (cur.held, cur.executed) == ([], ["INSERT INTO standard_answers"])


def test_outside_a_rebuild_finalised_answers_are_upserted() -> None:
    batches, cur = ReviewBatches(pending_buffer), FinalisingCursor()

    finalised_review(batches, cur, uuid4())

    assert cur.executed[-2:] == ["INSERT INTO standard_answers", "DELETE FROM pending_answers WHERE"
                                 " review_id = %s"]
