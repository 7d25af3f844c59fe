"""Each read model keeps its answers in the shape it reads (projections.answer_tables): the
events that change only columns a shape leaves out cost it nothing, and a kept row of a
rebuild has the shape's own columns."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from aggregates.client import Client
from events.vocabulary import Answer, ExpectedAnswer, Rating
from projections.answer_tables import ALIGNED, FULL, SCORED
from projections.review_tables import apply_review_event

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class RecordingCursor:
    """A plain cursor (no write-behind): every statement is executed at once and kept."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def execute(self, query: str, params: Any = None, **kwargs: Any) -> None:
        self.statements.append((query, params))


def answered(review_id: Any, standard_id: Any) -> Any:
    return Client.AnswerRecorded(
        originator_id=uuid4(), originator_version=3, timestamp=NOW, tenant="msp",
        review_id=review_id, standard_id=standard_id, standard_revision=2,
        expected_answer=ExpectedAnswer.YES, answer=Answer.NO, note="seen", observed_at=NOW,
        by="tam")


def rated(review_id: Any, standard_id: Any) -> Any:
    return Client.AnswerRated(originator_id=uuid4(), originator_version=4, timestamp=NOW,
                              tenant="msp", review_id=review_id, standard_id=standard_id,
                              rating=Rating.MARGINAL, by="vcio")


def test_a_rating_is_written_where_answers_keep_ratings_and_nowhere_else() -> None:
    review, standard = uuid4(), uuid4()
    written = {}
    for name, table in (("full", FULL), ("scored", SCORED), ("aligned", ALIGNED)):
        cur = RecordingCursor()
        apply_review_event(cur, rated(review, standard), 9, answers=table)  # type: ignore[arg-type]
        written[name] = [params for _, params in cur.statements]

    assert written == {"full": [("marginal", review, standard)],
                       "scored": [("marginal", review, standard)], "aligned": []}


def test_an_answer_upserts_only_the_columns_of_the_shape() -> None:
    review, standard = uuid4(), uuid4()
    cur = RecordingCursor()

    apply_review_event(cur, answered(review, standard), 9, answers=ALIGNED)  # type: ignore[arg-type]

    [(query, params)] = cur.statements
    assert query.startswith('INSERT INTO answers ("review_id", "standard_id", "client_id",'
                            ' "expected_answer", "answer")')
    assert params[:2] + params[3:] == (review, standard, "yes", "no")


def test_a_kept_row_of_a_rebuild_holds_the_shape_columns_then_its_rating() -> None:
    review, standard = uuid4(), uuid4()
    buffer = SCORED.buffer()
    buffer.started(review)
    cur = RecordingCursor()
    apply_review_event(cur, answered(review, standard), 9, buffer, SCORED)  # type: ignore[arg-type]
    apply_review_event(cur, rated(review, standard), 10, buffer, SCORED)  # type: ignore[arg-type]

    [row] = buffer.take(review) or []

    assert (cur.statements, row[3:], len(row)) == ([], [2, "yes", "no", "marginal"], 7)
