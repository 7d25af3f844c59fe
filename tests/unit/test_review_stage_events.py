"""What the review stages after answering record (submit, send back, finalise), and what they refuse."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from aggregates.client import Client
from aggregates.errors import (
    AnswerNotRecordedError,
    ItemsSentBackError,
    ReviewAlreadyCompletedError,
    ReviewAlreadySubmittedError,
    ReviewCoversNoStandardError,
    ReviewNotSubmittedError,
    UnansweredStandardsError,
    UnratedAnswersError,
)
from aggregates.review_state import StandardFacts
from events.vocabulary import Answer, ExpectedAnswer, Rating
from tests.unit.client_steps import AT, last_event, onboarded, refusal

SUBMITTED_AT = datetime(2027, 3, 2, 9, tzinfo=UTC)
FINALISED_AT = datetime(2027, 3, 3, 9, tzinfo=UTC)


def ids(count: int) -> list[UUID]:
    return sorted((uuid4() for _ in range(count)), key=str)


def answering(client: Client, answers: dict[UUID, Answer]) -> UUID:
    review_id = uuid4()
    client.start_review(review_id=review_id, categories=[], in_scope=max(len(answers), 1), started_at=AT,
                        by="tom")
    for standard_id, answer in answers.items():
        client.record_answer(review_id=review_id, standard=StandardFacts(
            standard_id, "firewalls", 1, ExpectedAnswer.YES, True, "published"), answer=answer, note="",
            observed_at=AT, by="tom")
    return review_id


def submitted(client: Client, answers: dict[UUID, Answer]) -> UUID:
    review_id = answering(client, answers)
    client.submit_review(review_id=review_id, in_scope=list(answers), confirm_unanswered=False,
                         submitted_at=SUBMITTED_AT, by="tom")
    return review_id


# --- submitting --------------------------------------------------------------------------------

def test_submitting_records_the_time_scope_and_unanswered_count_and_hands_it_over() -> None:
    client = onboarded()
    answered, unanswered = ids(1)[0], ids(1)[0]
    review_id = answering(client, {answered: Answer.YES})

    client.submit_review(review_id=review_id, in_scope=[answered, unanswered], confirm_unanswered=True,
                         submitted_at=SUBMITTED_AT, by="tom")

    event = last_event(client)
    assert (type(event), event.review_id, event.submitted_at, event.in_scope, event.unanswered,
            event.by) == (Client.ReviewSubmitted, review_id, SUBMITTED_AT, 2, 1, "tom")
    assert (client.review(review_id).submitted_at, client.review(review_id).stage) == (
        SUBMITTED_AT, "submitted")


def test_submitting_with_standards_unanswered_unconfirmed_is_refused_listing_them_in_order() -> None:
    client = onboarded()
    answered, first, second = ids(3)
    review_id = answering(client, {answered: Answer.YES})

    assert refusal(UnansweredStandardsError, lambda: client.submit_review(
        review_id=review_id, in_scope=[second, answered, first], confirm_unanswered=False,
        submitted_at=SUBMITTED_AT, by="tom")) == (
        "confirm_unanswered",
        f"2 of 3 standards are unanswered; confirm to submit anyway: {first}, {second}")


def test_submitting_a_review_that_covers_no_standard_is_refused() -> None:
    client = onboarded()
    review_id = answering(client, {})

    assert refusal(ReviewCoversNoStandardError, lambda: client.submit_review(
        review_id=review_id, in_scope=[], confirm_unanswered=True, submitted_at=SUBMITTED_AT, by="tom")) == (
        "review_id", "the review covers no published standard; choose categories that have some")


def test_submitting_twice_is_refused() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = submitted(client, {standard_id: Answer.YES})

    assert refusal(ReviewAlreadySubmittedError, lambda: client.submit_review(
        review_id=review_id, in_scope=[standard_id], confirm_unanswered=True, submitted_at=SUBMITTED_AT,
        by="tom")) == ("review_id", "the review is already with the vCIO")


def test_submitting_a_finalised_review_is_refused() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = answering(client, {standard_id: Answer.YES})
    client.complete_review(review_id=review_id, completed_at=FINALISED_AT, by="vera")

    assert refusal(ReviewAlreadyCompletedError, lambda: client.submit_review(
        review_id=review_id, in_scope=[standard_id], confirm_unanswered=True, submitted_at=SUBMITTED_AT,
        by="tom"))[0] == "review_id"


# --- sending back ------------------------------------------------------------------------------

def test_sending_an_item_back_records_the_comment_and_reopens_it_for_the_tam() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = submitted(client, {standard_id: Answer.NO})

    client.send_back_item(review_id=review_id, standard_id=standard_id, comment="check again", by="vera")

    event = last_event(client)
    assert (type(event), event.review_id, event.standard_id, event.comment, event.by) == (
        Client.ReviewItemSentBack, review_id, standard_id, "check again", "vera")
    assert client.review(review_id).sent_back == {standard_id: "check again"}


def test_sending_back_an_item_of_a_review_still_being_answered_is_refused() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = answering(client, {standard_id: Answer.NO})

    assert refusal(ReviewNotSubmittedError, lambda: client.send_back_item(
        review_id=review_id, standard_id=standard_id, comment="x", by="vera")) == (
        "review_id", "the TAM has not submitted this review to the vCIO yet")


def test_sending_back_an_unanswered_item_is_refused() -> None:
    client = onboarded()
    review_id = submitted(client, {uuid4(): Answer.NO})

    assert refusal(AnswerNotRecordedError, lambda: client.send_back_item(
        review_id=review_id, standard_id=uuid4(), comment="x", by="vera")) == (
        "standard_id", "no answer recorded for this standard in this review")


def test_sending_back_an_item_of_a_finalised_review_is_refused() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = submitted(client, {standard_id: Answer.YES})
    client.finalise_review(review_id=review_id, unrated_as=None, finalised_at=FINALISED_AT, by="vera")

    assert refusal(ReviewAlreadyCompletedError, lambda: client.send_back_item(
        review_id=review_id, standard_id=standard_id, comment="x", by="vera"))[0] == "review_id"


# --- finalising --------------------------------------------------------------------------------

def test_finalising_with_every_misaligned_answer_rated_records_no_unrated_rating() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = submitted(client, {standard_id: Answer.NO})
    client.rate_answer(review_id=review_id, standard_id=standard_id, rating=Rating.MARGINAL, by="vera")

    client.finalise_review(review_id=review_id, unrated_as=Rating.HIGHLY_VULNERABLE,
                           finalised_at=FINALISED_AT, by="vera")

    event = last_event(client)
    assert (type(event), event.review_id, event.completed_at, event.unrated_as, event.by) == (
        Client.ReviewCompleted, review_id, FINALISED_AT, None, "vera")
    assert client.review(review_id).stage == "finalised"


def test_finalising_with_unrated_answers_rates_each_as_chosen_in_order_then_records_the_choice() -> None:
    client = onboarded()
    first, second, aligned = ids(3)
    review_id = submitted(client, {second: Answer.NO, aligned: Answer.YES, first: Answer.NO})

    client.finalise_review(review_id=review_id, unrated_as="highly_vulnerable",  # type: ignore[arg-type]
                           finalised_at=FINALISED_AT, by="vera")

    rated = [e for e in client.pending_events if isinstance(e, Client.AnswerRated)]
    assert [(e.review_id, e.standard_id, e.rating, e.by) for e in rated] == [
        (review_id, first, Rating.HIGHLY_VULNERABLE, "vera"),
        (review_id, second, Rating.HIGHLY_VULNERABLE, "vera")]
    assert last_event(client).unrated_as is Rating.HIGHLY_VULNERABLE


def test_finalising_with_unrated_answers_and_no_choice_is_refused_listing_them() -> None:
    client = onboarded()
    first, second = ids(2)
    review_id = submitted(client, {second: Answer.NO, first: Answer.NO})

    assert refusal(UnratedAnswersError, lambda: client.finalise_review(
        review_id=review_id, unrated_as=None, finalised_at=FINALISED_AT, by="vera")) == (
        "unrated_as", f"2 misaligned answers are unrated; rate them, or finalise with unrated_as"
        f" 'highly_vulnerable': {first}, {second}")


def test_finalising_with_items_back_with_the_tam_is_refused_listing_them() -> None:
    client = onboarded()
    first, second = ids(2)
    review_id = submitted(client, {first: Answer.YES, second: Answer.YES})
    client.send_back_item(review_id=review_id, standard_id=second, comment="x", by="vera")
    client.send_back_item(review_id=review_id, standard_id=first, comment="y", by="vera")

    assert refusal(ItemsSentBackError, lambda: client.finalise_review(
        review_id=review_id, unrated_as=Rating.MARGINAL, finalised_at=FINALISED_AT, by="vera")) == (
        "review_id", f"2 items are back with the TAM: {first}, {second}")


def test_finalising_a_review_still_being_answered_is_refused() -> None:
    client = onboarded()
    review_id = answering(client, {uuid4(): Answer.YES})

    assert refusal(ReviewNotSubmittedError, lambda: client.finalise_review(
        review_id=review_id, unrated_as=None, finalised_at=FINALISED_AT, by="vera"))[0] == "review_id"


# --- which review is which ---------------------------------------------------------------------

def test_a_review_being_answered_is_the_open_one_but_neither_submitted_nor_completed() -> None:
    client = onboarded()
    review_id = answering(client, {uuid4(): Answer.NO})

    assert (client.open_review.review_id if client.open_review else None, client.latest_submitted_review,
            client.latest_completed_review) == (review_id, None, None)


def test_a_submitted_review_is_still_open_and_the_latest_submitted_one() -> None:
    client = onboarded()
    review_id = submitted(client, {uuid4(): Answer.NO})

    assert (client.open_review, client.latest_submitted_review, client.latest_completed_review) == (
        client.review(review_id), client.review(review_id), None)


def test_a_finalised_review_is_no_longer_open_and_is_the_latest_completed_and_submitted_one() -> None:
    client = onboarded()
    standard_id = uuid4()
    review_id = submitted(client, {standard_id: Answer.YES})
    client.finalise_review(review_id=review_id, unrated_as=None, finalised_at=FINALISED_AT, by="vera")

    assert (client.open_review, client.latest_submitted_review, client.latest_completed_review) == (
        None, client.review(review_id), client.review(review_id))
