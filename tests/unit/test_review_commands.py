"""What each review command records through the bus: the handler's share (defaults taken from
the call, the standard's facts looked up, the batch's item named in a refusal, the expected
version passed on); the aggregate's own rules are pinned in test_review_events.py."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.client import Client
from aggregates.errors import (
    AnswerToUnpublishedStandardError,
    ConflictError,
    NotFoundError,
    ReviewCoversNoStandardError,
    UnansweredStandardsError,
)
from commands.base import Command
from commands.results import Actor
from commands.reviews import (
    AnswerInput,
    CompleteReview,
    FinaliseReview,
    RateAnswer,
    RecordAnswer,
    RecordAnswers,
    SendBackItem,
    StartReview,
    SubmitReview,
    SuggestAnswer,
)
from events.vocabulary import Answer, ExpectedAnswer, Rating
from tests.unit.scenario import Scenario

AT = datetime(2027, 5, 4, 10, 30, tzinfo=UTC)
NOW = datetime(2027, 5, 6, 8, 0, tzinfo=UTC)


def recorded(scenario: Scenario, client_id: UUID, kind: type) -> list[Any]:
    return [e for e in scenario.ledger.repository.event_store.get(client_id) if isinstance(e, kind)]


def version(scenario: Scenario, client_id: UUID) -> int:
    return int(scenario.ledger.repository.get(client_id).version)


def submitted(scenario: Scenario, answer: Answer = Answer.NO) -> tuple[UUID, UUID, UUID]:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, answer)
    scenario.bus.handle(SubmitReview(client_id=client_id, review_id=review_id), scenario.tam, NOW)
    return client_id, review_id, standard_id


def test_starting_a_review_records_the_new_id_the_categories_the_time_given_and_the_author(
        scenario: Scenario) -> None:
    scenario.standard(category="email")
    client_id = scenario.client()

    result = scenario.bus.handle(StartReview(client_id=client_id, categories=["email"], started_at=AT),
                                 scenario.tam, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewStarted)
    assert (event.review_id, event.categories, event.started_at, event.by) == (
        result.created_id, ["email"], AT, "tom.tam")


def test_a_review_started_without_a_time_starts_at_the_time_of_the_call(scenario: Scenario) -> None:
    scenario.standard()
    client_id = scenario.client()

    scenario.bus.handle(StartReview(client_id=client_id), scenario.tam, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewStarted)
    assert event.started_at == NOW


def test_a_review_of_categories_holding_no_published_standard_is_refused(scenario: Scenario) -> None:
    scenario.standard(category="email", publish=False)
    client_id = scenario.client()

    with pytest.raises(ReviewCoversNoStandardError) as refused:
        scenario.bus.handle(StartReview(client_id=client_id, categories=["email"]), scenario.tam, NOW)

    assert refused.value.field == "categories"


def test_an_idempotent_start_names_the_same_review_when_sent_again(scenario: Scenario) -> None:
    scenario.standard()
    client_id = scenario.client()
    command = StartReview(client_id=client_id)

    first = scenario.bus.handle(command, scenario.tam, NOW, "start-1")
    again = scenario.bus.handle(command, scenario.tam, NOW, "start-1")

    assert again.created_id == first.created_id
    assert len(recorded(scenario, client_id, Client.ReviewStarted)) == 1


def test_an_answer_records_the_standards_revision_and_expected_answer_with_the_note_time_and_author(
        scenario: Scenario) -> None:
    standard_id = scenario.standard(expected=ExpectedAnswer.NO)
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    scenario.bus.handle(RecordAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                                     answer=Answer.YES, note="seen it", observed_at=AT), scenario.tam, NOW)

    [event] = recorded(scenario, client_id, Client.AnswerRecorded)
    assert (event.review_id, event.standard_id, event.standard_revision, event.expected_answer,
            event.answer, event.note, event.observed_at, event.by) == (
        review_id, standard_id, 1, ExpectedAnswer.NO, Answer.YES, "seen it", AT, "tom.tam")


def test_an_answer_without_an_observation_time_is_observed_at_the_time_of_the_call(
        scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    scenario.bus.handle(RecordAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                                     answer=Answer.YES), scenario.tam, NOW)

    [event] = recorded(scenario, client_id, Client.AnswerRecorded)
    assert event.observed_at == NOW


def test_an_answer_to_a_draft_standard_is_refused(scenario: Scenario) -> None:
    scenario.standard()
    draft_id = scenario.standard(publish=False)
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        scenario.answer(client_id, review_id, draft_id, Answer.YES)

    assert refused.value.field == "standard_id"


def test_a_batch_of_answers_records_each_with_its_own_note_and_time_or_the_time_of_the_call(
        scenario: Scenario) -> None:
    first, second = scenario.standard(), scenario.standard(expected=ExpectedAnswer.NO)
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    scenario.bus.handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=[
        AnswerInput(standard_id=first, answer=Answer.NO, note="off", observed_at=AT),
        AnswerInput(standard_id=second, answer=Answer.NO)]), scenario.tam, NOW)

    events = recorded(scenario, client_id, Client.AnswerRecorded)
    assert [(e.standard_id, e.expected_answer, e.answer, e.note, e.observed_at, e.by) for e in events] == [
        (first, ExpectedAnswer.YES, Answer.NO, "off", AT, "tom.tam"),
        (second, ExpectedAnswer.NO, Answer.NO, "", NOW, "tom.tam")]


def test_a_batch_answering_one_standard_twice_looks_it_up_once_and_records_both(
        scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    scenario.bus.handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=[
        AnswerInput(standard_id=standard_id, answer=Answer.NO),
        AnswerInput(standard_id=standard_id, answer=Answer.YES)]), scenario.tam, NOW)

    assert [e.answer for e in recorded(scenario, client_id, Client.AnswerRecorded)] == [Answer.NO, Answer.YES]


def test_a_batch_naming_an_unknown_standard_is_refused_naming_the_item(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    with pytest.raises(NotFoundError) as refused:
        scenario.bus.handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=[
            AnswerInput(standard_id=standard_id, answer=Answer.NO),
            AnswerInput(standard_id=uuid4(), answer=Answer.NO)]), scenario.tam, NOW)

    assert (refused.value.field, refused.value.reason) == (
        "answers[1].standard_id", "no standard with this id")


def test_a_batch_item_the_review_refuses_is_named_and_nothing_is_recorded(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    draft_id = scenario.standard(publish=False)
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    with pytest.raises(AnswerToUnpublishedStandardError) as refused:
        scenario.bus.handle(RecordAnswers(client_id=client_id, review_id=review_id, answers=[
            AnswerInput(standard_id=standard_id, answer=Answer.NO),
            AnswerInput(standard_id=draft_id, answer=Answer.NO)]), scenario.tam, NOW)

    assert refused.value.field == "answers[1].standard_id"
    assert recorded(scenario, client_id, Client.AnswerRecorded) == []


def test_a_rating_records_the_rating_and_the_author(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, Answer.NO)

    scenario.rate(client_id, review_id, standard_id, Rating.MARGINAL)

    [event] = recorded(scenario, client_id, Client.AnswerRated)
    assert (event.review_id, event.standard_id, event.rating, event.by) == (
        review_id, standard_id, Rating.MARGINAL, "vera.vcio")


def test_completing_a_review_at_a_given_time_records_that_time_and_the_author(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, Answer.YES)

    scenario.bus.handle(CompleteReview(client_id=client_id, review_id=review_id, completed_at=AT),
                        scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewCompleted)
    assert (event.review_id, event.completed_at, event.unrated_as, event.by) == (
        review_id, AT, None, "vera.vcio")


def test_completing_a_review_without_a_time_completes_it_at_the_time_of_the_call(
        scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, Answer.YES)

    scenario.bus.handle(CompleteReview(client_id=client_id, review_id=review_id), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewCompleted)
    assert event.completed_at == NOW


def test_submitting_records_the_published_standards_in_the_reviews_categories_and_the_unanswered(
        scenario: Scenario) -> None:
    answered_id = scenario.standard(category="email")
    scenario.standard(category="email")
    scenario.standard(category="email", publish=False)
    scenario.standard(category="backups")
    client_id = scenario.client()
    review_id = scenario.start(client_id, ["email"])
    scenario.answer(client_id, review_id, answered_id, Answer.YES)

    scenario.bus.handle(SubmitReview(client_id=client_id, review_id=review_id, confirm_unanswered=True,
                                     submitted_at=AT), scenario.tam, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewSubmitted)
    assert (event.review_id, event.submitted_at, event.in_scope, event.unanswered, event.by) == (
        review_id, AT, 2, 1, "tom.tam")


def test_submitting_without_a_time_submits_at_the_time_of_the_call(scenario: Scenario) -> None:
    client_id, _, _ = submitted(scenario)

    [event] = recorded(scenario, client_id, Client.ReviewSubmitted)
    assert event.submitted_at == NOW


def test_submitting_with_unanswered_standards_is_refused_unless_confirmed(scenario: Scenario) -> None:
    scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)

    with pytest.raises(UnansweredStandardsError) as refused:
        scenario.bus.handle(SubmitReview(client_id=client_id, review_id=review_id), scenario.tam, NOW)

    assert refused.value.field == "confirm_unanswered"


def test_sending_an_item_back_records_the_comment_and_the_author(scenario: Scenario) -> None:
    client_id, review_id, standard_id = submitted(scenario)

    scenario.bus.handle(SendBackItem(client_id=client_id, review_id=review_id, standard_id=standard_id,
                                     comment="check the VPN too"), scenario.vcio, NOW)

    [event] = recorded(scenario, client_id, Client.ReviewItemSentBack)
    assert (event.review_id, event.standard_id, event.comment, event.by) == (
        review_id, standard_id, "check the VPN too", "vera.vcio")


def test_finalising_with_unrated_answers_as_highly_vulnerable_rates_them_so(scenario: Scenario) -> None:
    client_id, review_id, standard_id = submitted(scenario)

    scenario.bus.handle(FinaliseReview(client_id=client_id, review_id=review_id,
                                       unrated_as="highly_vulnerable", finalised_at=AT), scenario.vcio, NOW)

    [rated] = recorded(scenario, client_id, Client.AnswerRated)
    [completed] = recorded(scenario, client_id, Client.ReviewCompleted)
    assert (rated.standard_id, rated.rating) == (standard_id, Rating.HIGHLY_VULNERABLE)
    assert (completed.completed_at, completed.unrated_as, completed.by) == (
        AT, Rating.HIGHLY_VULNERABLE, "vera.vcio")


def test_finalising_without_a_time_finalises_at_the_time_of_the_call(scenario: Scenario) -> None:
    client_id, review_id, _ = submitted(scenario, Answer.YES)

    scenario.bus.handle(FinaliseReview(client_id=client_id, review_id=review_id), scenario.vcio, NOW)

    [completed] = recorded(scenario, client_id, Client.ReviewCompleted)
    assert (completed.completed_at, completed.unrated_as) == (NOW, None)


def stale_commands(client_id: UUID, review_id: UUID, standard_id: UUID, stale: int) -> list[Command]:
    return [
        StartReview(client_id=client_id, expected_version=stale),
        RecordAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id, answer=Answer.NO,
                     expected_version=stale),
        RecordAnswers(client_id=client_id, review_id=review_id, expected_version=stale,
                      answers=[AnswerInput(standard_id=standard_id, answer=Answer.NO)]),
        RateAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                   rating=Rating.MARGINAL, expected_version=stale),
        CompleteReview(client_id=client_id, review_id=review_id, expected_version=stale),
        SubmitReview(client_id=client_id, review_id=review_id, expected_version=stale),
        SendBackItem(client_id=client_id, review_id=review_id, standard_id=standard_id, comment="why",
                     expected_version=stale),
        FinaliseReview(client_id=client_id, review_id=review_id, expected_version=stale),
    ]


@pytest.mark.parametrize("position", range(8))
def test_every_review_command_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    client_id, review_id, standard_id = submitted(scenario)
    stale = version(scenario, client_id) - 1
    command = stale_commands(client_id, review_id, standard_id, stale)[position]

    with pytest.raises(ConflictError) as refused:
        scenario.bus.handle(command, Actor(scenario.tenant, "ada.admin", "admin"), NOW)

    assert refused.value.field == "expected_version"


def test_a_review_started_under_an_idempotency_key_gets_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    scenario.standard()
    client_id = scenario.client()

    result = scenario.bus.handle(StartReview(client_id=client_id), scenario.tam, NOW, "start-2")

    assert result.created_id == scenario.ledger.new_id(scenario.tam, "start-2", "review")


def answering(scenario: Scenario) -> list[Command]:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    return [RecordAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id, answer=Answer.NO),
            RecordAnswers(client_id=client_id, review_id=review_id,
                          answers=[AnswerInput(standard_id=standard_id, answer=Answer.NO)])]


def answered(scenario: Scenario) -> list[Command]:
    standard_id = scenario.standard()
    client_id = scenario.client()
    review_id = scenario.start(client_id)
    scenario.answer(client_id, review_id, standard_id, Answer.NO)
    return [RateAnswer(client_id=client_id, review_id=review_id, standard_id=standard_id,
                       rating=Rating.MARGINAL),
            CompleteReview(client_id=client_id, review_id=review_id),
            SubmitReview(client_id=client_id, review_id=review_id)]


def with_the_vcio(scenario: Scenario) -> list[Command]:
    client_id, review_id, standard_id = submitted(scenario)
    return [SendBackItem(client_id=client_id, review_id=review_id, standard_id=standard_id, comment="why"),
            FinaliseReview(client_id=client_id, review_id=review_id, unrated_as="highly_vulnerable")]


@pytest.mark.parametrize(("arrange", "position"), [
    (answering, 0), (answering, 1), (answered, 0), (answered, 1), (answered, 2), (with_the_vcio, 0),
    (with_the_vcio, 1)])
def test_every_review_command_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, arrange: Any, position: int) -> None:
    command = arrange(scenario)[position]
    admin = Actor(scenario.tenant, "ada.admin", "admin")
    first = scenario.bus.handle(command, admin, NOW, "once")
    head = scenario.ledger.recorder.max_notification_id()

    again = scenario.bus.handle(command, admin, NOW, "once")

    assert (again.aggregate_id, again.version, again.created_id, again.replayed) == (
        first.aggregate_id, first.version, first.created_id, True)
    assert scenario.ledger.recorder.max_notification_id() == head


def rmm(scenario: Scenario) -> Actor:
    return Actor(scenario.tenant, "rmm:ninjaone", "integration")


def suggestion(client_id: UUID, standard_id: UUID, stale: int | None = None) -> SuggestAnswer:
    return SuggestAnswer(client_id=client_id, standard_id=standard_id, answer=Answer.YES,
                         source="rmm:ninjaone", expected_version=stale)


def test_each_suggestion_gets_a_new_id_of_its_own(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()

    ids = [scenario.bus.handle(suggestion(client_id, standard_id), rmm(scenario), NOW).created_id
           for _ in "ab"]

    assert None not in ids and ids[0] != ids[1]
    assert [e.suggestion_id for e in recorded(scenario, client_id, Client.AnswerSuggested)] == ids


def test_a_suggestion_under_an_idempotency_key_gets_the_id_derived_from_that_key(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()

    result = scenario.bus.handle(suggestion(client_id, standard_id), rmm(scenario), NOW, "suggest-1")

    assert result.created_id == scenario.ledger.new_id(rmm(scenario), "suggest-1", "suggestion")


def test_a_suggestion_with_a_stale_expected_version_is_refused_as_a_conflict(scenario: Scenario) -> None:
    standard_id = scenario.standard()
    client_id = scenario.client()
    scenario.bus.handle(suggestion(client_id, standard_id), rmm(scenario), NOW)

    stale = version(scenario, client_id) - 1

    with pytest.raises(ConflictError) as refused:
        scenario.bus.handle(suggestion(client_id, standard_id, stale), rmm(scenario), NOW)

    assert refused.value.field == "expected_version"
