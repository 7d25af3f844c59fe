"""What each review command records on the Client on success: event fields and review state."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.errors import (
    AnswerNotRecordedError,
    AnswerToUnpublishedStandardError,
    NotFoundError,
    ReviewAlreadyCompletedError,
    ReviewAlreadyOpenError,
    ReviewCoversNoStandardError,
)
from aggregates.review_state import AnswerState, StandardFacts
from events.vocabulary import Answer, ExpectedAnswer, Rating
from tests.unit.client_steps import last_event
from tests.unit.scenario import Scenario

STARTED = datetime(2027, 3, 1, 9, tzinfo=UTC)
OBSERVED = datetime(2027, 3, 2, 11, tzinfo=UTC)


def facts(category: str = "firewalls", *, answerable: bool = True, revision: int = 3,
          expected: ExpectedAnswer = ExpectedAnswer.YES) -> StandardFacts:
    return StandardFacts(uuid4(), category, revision, expected, answerable,
                         "published" if answerable else "draft")


@pytest.fixture
def client(scenario: Scenario) -> Client:
    return scenario.ledger.load_client(scenario.vcio, scenario.client())


def started(client: Client, categories: list[str] | None = None) -> UUID:
    review_id = uuid4()
    client.start_review(review_id=review_id, categories=categories or [], in_scope=3, started_at=STARTED,
                        by="tom")
    return review_id


def answered(client: Client, review_id: UUID, standard: StandardFacts, answer: Answer = Answer.NO,
             note: str = "") -> None:
    client.record_answer(review_id=review_id, standard=standard, answer=answer, note=note,
                         observed_at=OBSERVED, by="tom")


def test_starting_a_review_records_its_id_sorted_distinct_categories_time_and_author(client: Client) -> None:
    review_id = started(client, ["wireless", "email", "wireless"])

    event = last_event(client)
    assert (event.review_id, event.categories, event.started_at, event.by) == (
        review_id, ["email", "wireless"], STARTED, "tom")


def test_a_started_review_is_the_open_review_in_its_first_stage(client: Client) -> None:
    review_id = started(client, ["email"])

    review = client.open_review
    assert review is not None
    assert (review.review_id, review.categories, review.started_at, review.stage) == (
        review_id, ("email",), STARTED, "answering")


def test_a_review_covering_no_standard_is_refused_naming_the_categories(client: Client) -> None:
    with pytest.raises(ReviewCoversNoStandardError) as refused:
        client.start_review(review_id=uuid4(), categories=["nope"], in_scope=0, started_at=STARTED, by="tom")

    assert refused.value.field == "categories"


def test_a_review_covering_one_standard_can_start(client: Client) -> None:
    client.start_review(review_id=uuid4(), categories=[], in_scope=1, started_at=STARTED, by="tom")

    assert client.open_review is not None


def test_a_second_open_review_is_refused_naming_the_open_one(client: Client) -> None:
    review_id = started(client)

    with pytest.raises(ReviewAlreadyOpenError) as refused:
        started(client)

    assert (refused.value.field, refused.value.reason) == ("review_id", f"review {review_id} is still open")


def test_a_new_review_can_start_once_the_last_one_is_completed(client: Client) -> None:
    first = started(client)
    client.complete_review(review_id=first, completed_at=OBSERVED, by="vera")

    second = started(client)

    assert client.open_review is not None and client.open_review.review_id == second


def test_an_answer_records_the_standard_its_revision_and_expectation_the_note_and_author(
        client: Client) -> None:
    review_id = started(client)
    standard = facts(revision=3, expected=ExpectedAnswer.NO)

    answered(client, review_id, standard, Answer.YES, note="checked the console")

    event = last_event(client)
    assert (event.review_id, event.standard_id, event.standard_revision, event.expected_answer,
            event.answer, event.note, event.observed_at, event.by) == (
        review_id, standard.standard_id, 3, ExpectedAnswer.NO, Answer.YES, "checked the console",
        OBSERVED, "tom")


def test_an_answer_is_kept_on_the_review_with_its_revision_and_expectation(client: Client) -> None:
    review_id = started(client)
    standard = facts(revision=2)

    answered(client, review_id, standard, Answer.NO)

    assert client.review(review_id).answers[standard.standard_id] == AnswerState(
        Answer.NO, 2, ExpectedAnswer.YES)


def test_answering_a_standard_not_in_force_is_refused_naming_its_status(client: Client) -> None:
    review_id = started(client)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        answered(client, review_id, facts(answerable=False))

    assert (refused.value.field, refused.value.reason) == (
        "standard_id", "standard is draft; only published standards can be answered")


def test_an_unknown_review_is_not_found_naming_the_review(client: Client) -> None:
    with pytest.raises(NotFoundError) as refused:
        answered(client, uuid4(), facts())

    assert (refused.value.field, refused.value.reason) == ("review_id", "no such review for this client")


def test_a_review_of_some_categories_accepts_an_answer_in_one_of_them(client: Client) -> None:
    review_id = started(client, ["email", "firewalls"])
    standard = facts("firewalls")

    answered(client, review_id, standard)

    assert standard.standard_id in client.review(review_id).answers


def test_a_rating_records_the_review_the_standard_the_rating_and_the_author(client: Client) -> None:
    review_id = started(client)
    standard = facts()
    answered(client, review_id, standard, Answer.NO)

    client.rate_answer(review_id=review_id, standard_id=standard.standard_id, rating=Rating.MARGINAL,
                       by="vera")

    event = last_event(client)
    assert (event.review_id, event.standard_id, event.rating, event.by) == (
        review_id, standard.standard_id, Rating.MARGINAL, "vera")


def test_a_rating_is_kept_on_the_answer(client: Client) -> None:
    review_id = started(client)
    standard = facts()
    answered(client, review_id, standard, Answer.NO)

    client.rate_answer(review_id=review_id, standard_id=standard.standard_id,
                       rating=Rating.HIGHLY_VULNERABLE, by="vera")

    assert client.review(review_id).answers[standard.standard_id].rating is Rating.HIGHLY_VULNERABLE


def test_rating_an_unanswered_standard_is_refused_naming_the_standard(client: Client) -> None:
    review_id = started(client)

    with pytest.raises(AnswerNotRecordedError) as refused:
        client.rate_answer(review_id=review_id, standard_id=uuid4(), rating=Rating.MARGINAL, by="vera")

    assert refused.value.field == "standard_id"


def test_rating_on_a_completed_review_is_refused_naming_the_review(client: Client) -> None:
    review_id = started(client)
    standard = facts()
    answered(client, review_id, standard, Answer.NO)
    client.complete_review(review_id=review_id, completed_at=OBSERVED, by="vera")

    with pytest.raises(ReviewAlreadyCompletedError) as refused:
        client.rate_answer(review_id=review_id, standard_id=standard.standard_id, rating=Rating.MARGINAL,
                           by="vera")

    assert (refused.value.field, refused.value.reason) == ("review_id", "the review is already completed")


def test_a_suggestion_records_its_source_evidence_and_answer_without_answering(client: Client) -> None:
    review_id = started(client)
    standard = facts()
    suggestion_id = uuid4()

    client.suggest_answer(suggestion_id=suggestion_id, standard=standard, answer=Answer.YES,
                          source="rmm", evidence="agent report", observed_at=OBSERVED, by="rmm-bot")

    event = last_event(client)
    assert (event.suggestion_id, event.standard_id, event.answer, event.source, event.evidence,
            event.observed_at, event.by) == (suggestion_id, standard.standard_id, Answer.YES, "rmm",
                                              "agent report", OBSERVED, "rmm-bot")
    assert client.review(review_id).answers == {}


def test_a_suggestion_for_a_standard_not_in_force_is_refused_naming_the_standard(client: Client) -> None:
    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        client.suggest_answer(suggestion_id=uuid4(), standard=facts(answerable=False), answer=Answer.YES,
                              source="rmm", evidence="", observed_at=OBSERVED, by="rmm-bot")

    assert refused.value.field == "standard_id"


def test_completing_records_the_review_its_time_and_author_with_no_unrated_rating(client: Client) -> None:
    review_id = started(client)

    client.complete_review(review_id=review_id, completed_at=OBSERVED, by="vera")

    event = last_event(client)
    assert (event.review_id, event.completed_at, event.unrated_as, event.by) == (
        review_id, OBSERVED, None, "vera")


def test_a_completed_review_is_finalised_and_no_longer_open(client: Client) -> None:
    review_id = started(client)

    client.complete_review(review_id=review_id, completed_at=OBSERVED, by="vera")

    assert (client.review(review_id).completed_at, client.review(review_id).stage, client.open_review) == (
        OBSERVED, "finalised", None)


def test_the_latest_completed_review_is_the_last_one_completed(client: Client) -> None:
    first = started(client)
    client.complete_review(review_id=first, completed_at=OBSERVED, by="vera")
    second = started(client)
    client.complete_review(review_id=second, completed_at=OBSERVED, by="vera")
    started(client)

    latest = client.latest_completed_review
    assert latest is not None and latest.review_id == second


def test_a_client_without_a_completed_review_has_no_latest_one(client: Client) -> None:
    started(client)

    assert (client.latest_completed_review, client.latest_submitted_review) == (None, None)


def test_a_completed_review_counts_as_the_latest_submitted_one(client: Client) -> None:
    review_id = started(client)
    client.complete_review(review_id=review_id, completed_at=OBSERVED, by="vera")
    started(client)

    latest = client.latest_submitted_review
    assert latest is not None and latest.review_id == review_id


def test_the_previous_answer_skips_a_later_completed_review_that_did_not_answer_it(client: Client) -> None:
    standard = facts()
    first = started(client)
    answered(client, first, standard, Answer.NO)
    client.complete_review(review_id=first, completed_at=OBSERVED, by="vera")
    second = started(client)
    answered(client, second, facts(), Answer.YES)
    client.complete_review(review_id=second, completed_at=OBSERVED, by="vera")

    previous = client.previous_answer(standard.standard_id)

    assert previous is not None and previous.answer is Answer.NO
