"""Time travel and impact analysis, read back from PostgreSQL: "as of" alignment on the recorded
and the observed clock, the library's words at an instant, proposed change sets, and replays."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.change_sets import (
    OpenChangeSet,
    ProposeNewStandard,
    ProposeRetirement,
    ProposeRevision,
    ProposeWeightChange,
    PublishChangeSet,
    load_change_set,
)
from commands.reviews import FinaliseReview, RecordAnswer, SubmitReview
from commands.standards import (
    ConfirmStandardReviewed,
    DraftStandard,
    RetireStandard,
    ReviseStandard,
)
from events.vocabulary import Answer, Priority, Rating, ReviewFrequency
from projections.as_of import AsOfProjection
from projections.as_of_view import AsOfAlignment, AsOfItem, AsOfView, Basis
from projections.impact import (
    CurrentLibrary,
    ImpactReport,
    ImpactView,
    ItemChange,
    LibraryAsOf,
    ProposedLibrary,
    overlay_from_change_set,
)
from projections.runner import BatchProjector
from tests.integration.conftest import projector_for
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration

OLD_WORDS = "Is control 0 of firewalls in place?"
NEW_WORDS = "Is control 0 enforced by group policy on every firewall?"


@pytest.fixture(scope="module")
def as_of_projector(services: Any) -> BatchProjector:
    return projector_for(services, AsOfProjection())


@pytest.fixture
def caught_up(services: Any, as_of_projector: BatchProjector) -> Any:
    """Brings the product's read models and the as-of model up to the head of the log."""
    def catch_up() -> None:
        services.catch_up()
        as_of_projector.catch_up()
    return catch_up


def now() -> datetime:
    return datetime.now(UTC)


def as_of(services: Any, scenario: Scenario, client: UUID, at: datetime,
          basis: Basis = Basis.RECORDED) -> AsOfAlignment:
    found = AsOfView(services.reader).alignment(scenario.tenant, client, at, basis)
    assert found is not None
    return found


def item(view: AsOfAlignment, standard: UUID) -> AsOfItem:
    return next(i for i in view.items if i.standard_id == standard)


def replay(services: Any, scenario: Scenario, target: Any) -> ImpactReport:
    return ImpactView(services.reader).replay(scenario.tenant, target)


# --- the library's words, then and now ------------------------------------------------------

def test_a_meaning_changing_revision_shows_old_answers_with_the_old_text(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    scenario.bus.handle(ReviseStandard(
        standard_id=standard, changes={"question": NEW_WORDS}, reason="checking by hand missed drift"),
        scenario.committee)
    caught_up()

    shown = item(as_of(services, scenario, client, now()), standard)

    assert (shown.question, shown.answered_revision) == (OLD_WORDS, 1)
    assert (shown.question_in_force, shown.revision_in_force) == (NEW_WORDS, 2)
    assert shown.meaning_changed_since_answer is True


def test_the_standards_text_as_of_an_instant_is_the_revision_then_in_force(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    standard = scenario.standard()
    before_revision = now()
    scenario.bus.handle(ReviseStandard(
        standard_id=standard, changes={"question": NEW_WORDS}, reason="checking by hand missed drift"),
        scenario.committee)
    caught_up()
    view = AsOfView(services.reader)

    then, today = view.standard(scenario.tenant, standard, before_revision), view.standard(
        scenario.tenant, standard, now())

    assert then is not None and today is not None
    assert (then.revision, then.question) == (1, OLD_WORDS)
    assert (today.revision, today.question, today.last_reason) == (
        2, NEW_WORDS, "checking by hand missed drift")


# --- the two clocks ---------------------------------------------------------------------------

@pytest.fixture
def corrected_review(services: Any, scenario: Scenario, caught_up: Any) -> dict[str, Any]:
    """A report is shown mid-review; then a back-dated correction flips its one 'no'."""
    high, low = scenario.standard(priority=Priority.HIGH), scenario.standard(priority=Priority.LOW)
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, high, Answer.NO)
    seen = scenario.clock
    scenario.answer(client, review, low, Answer.YES)
    caught_up()
    report = services.alignment.alignment(scenario.tenant, client)
    shown_at = now()
    scenario.bus.handle(RecordAnswer(
        client_id=client, review_id=review, standard_id=high, answer=Answer.YES,
        note="the rule was there; the console was filtered", observed_at=seen), scenario.tam, scenario.tick())
    scenario.complete(client, review)
    caught_up()
    return {"client": client, "report_score": report.score, "shown_at": shown_at}


def test_as_of_recorded_time_gives_the_score_a_report_showed_even_after_a_back_dated_correction(
        services: Any, scenario: Scenario, corrected_review: dict[str, Any]) -> None:
    view = as_of(services, scenario, corrected_review["client"], corrected_review["shown_at"])

    assert view.score == corrected_review["report_score"] == Decimal("16.67")


def test_as_of_observed_time_includes_the_back_dated_correction(
        services: Any, scenario: Scenario, corrected_review: dict[str, Any]) -> None:
    view = as_of(services, scenario, corrected_review["client"], corrected_review["shown_at"],
                 Basis.OBSERVED)

    assert view.score == Decimal("100.0")


def test_as_of_a_review_reads_answering_then_submitted_then_finalised_as_the_live_views_do(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    standard, client = scenario.standard(), scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.YES)
    answering = now()
    scenario.bus.handle(SubmitReview(client_id=client, review_id=review), scenario.tam, scenario.tick())
    submitted = now()
    scenario.bus.handle(FinaliseReview(client_id=client, review_id=review), scenario.vcio,
                        scenario.tick())
    finalised = now()
    caught_up()

    stages = [as_of(services, scenario, client, at).review_status
              for at in (answering, submitted, finalised)]

    assert stages == ["answering", "submitted", "finalised"]


def test_as_of_a_reviews_completion_gives_the_score_its_history_point_recorded(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    high, medium = scenario.standard(priority=Priority.HIGH), scenario.standard(priority=Priority.MEDIUM)
    client = scenario.client()
    first = scenario.start(client)
    scenario.answer(client, first, high, Answer.NO)
    scenario.answer(client, first, medium, Answer.YES)
    scenario.rate(client, first, high, Rating.MARGINAL)
    scenario.complete(client, first)
    completed = now()
    scenario.bus.handle(ReviseStandard(
        standard_id=high, changes={"priority": "low"}, reason="compensating control in place"),
        scenario.committee)
    scenario.completed_review(client, {high: Answer.YES, medium: Answer.NO})
    caught_up()

    point = services.history.history(scenario.tenant, client)[0]

    assert as_of(services, scenario, client, completed).score == point.score == Decimal("68.75")


def test_the_previous_answer_crosses_a_replacement_marked_as_given_to_the_predecessor(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    old = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {old: Answer.NO})
    new = scenario.standard()
    scenario.bus.handle(RetireStandard(
        standard_id=old, reason="merged into a broader control", replaced_by=new), scenario.committee)
    scenario.start(client)
    caught_up()

    shown = item(as_of(services, scenario, client, now()), new)

    assert (shown.previous_answer, shown.previous_from_standard_id, shown.previous_from_key) == (
        "no", old, "FIR-000")
    assert shown.previous_question == OLD_WORDS


# --- proposed change sets ---------------------------------------------------------------------

def open_set(scenario: Scenario, title: str = "2026 library review") -> UUID:
    return scenario.bus.handle(OpenChangeSet(
        title=title, reason="yearly review of the whole library"), scenario.committee).aggregate_id


def test_a_proposed_change_set_changes_nothing_until_published(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    change_set = open_set(scenario)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard,
        changes={"expected_answer": "no", "question": NEW_WORDS}, reason="inverted on purpose"),
        scenario.committee)
    scenario.bus.handle(ProposeRetirement(
        change_set_id=change_set, standard_id=scenario.standard(), reason="obsolete"), scenario.committee)
    caught_up()

    library = services.library.get_standard(scenario.tenant, standard)
    alignment = services.alignment.alignment(scenario.tenant, client)

    assert (library.revision, library.question, library.status) == (1, OLD_WORDS, "published")
    assert alignment.score == Decimal("100.0")
    assert scenario.ledger.load_standard(scenario.committee, standard).version == 2


def test_publishing_a_change_set_applies_it_and_publishing_again_records_nothing(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    standard, doomed = scenario.standard(), scenario.standard()
    change_set = open_set(scenario)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=standard, changes={"question": NEW_WORDS},
        reason="sharper wording"), scenario.committee)
    scenario.bus.handle(ProposeRetirement(
        change_set_id=change_set, standard_id=doomed, reason="obsolete"), scenario.committee)
    first = scenario.bus.handle(PublishChangeSet(change_set_id=change_set), scenario.committee, now())
    head = scenario.ledger.recorder.max_notification_id()

    again = scenario.bus.handle(PublishChangeSet(change_set_id=change_set), scenario.committee, now())
    caught_up()

    assert scenario.ledger.recorder.max_notification_id() == head
    assert (again.replayed, again.version) == (True, first.version)
    assert services.library.get_standard(scenario.tenant, standard).question == NEW_WORDS
    assert services.library.get_standard(scenario.tenant, doomed).status == "retired"


# --- replay and impact --------------------------------------------------------------------------

@pytest.fixture
def committee_meeting(scenario: Scenario) -> dict[str, Any]:
    """Two clients scored against A (high), B (medium), C (low); a change set retires A, inverts
    B's expected answer, raises C to high and adds D.

    Client A: A yes, B yes, C no (marginal) -> 100*(5+3+0.5)/9 = 94.4; proposed: B misaligned
    unrated, C marginal at weight 5 -> 100*2.5/8 = 31.25 -> 31.3.
    Client B: A no (highly vulnerable), B no (unrated), C yes -> 100*1/9 = 11.1; proposed:
    B aligned, C aligned at weight 5 -> 100*8/8 = 100.0.
    """
    a = scenario.standard(priority=Priority.HIGH)
    b = scenario.standard(priority=Priority.MEDIUM)
    c = scenario.standard(priority=Priority.LOW)
    first, second = scenario.client("Client A"), scenario.client("Client B")
    review = scenario.start(first)
    for standard, answer in ((a, Answer.YES), (b, Answer.YES), (c, Answer.NO)):
        scenario.answer(first, review, standard, answer)
    scenario.rate(first, review, c, Rating.MARGINAL)
    scenario.complete(first, review)
    review = scenario.start(second)
    for standard, answer in ((a, Answer.NO), (b, Answer.NO), (c, Answer.YES)):
        scenario.answer(second, review, standard, answer)
    scenario.rate(second, review, a, Rating.HIGHLY_VULNERABLE)
    scenario.complete(second, review)
    change_set = open_set(scenario, "tighten the firewall standards")
    scenario.bus.handle(ProposeRetirement(
        change_set_id=change_set, standard_id=a, reason="covered by the vendor's baseline"),
        scenario.committee)
    scenario.bus.handle(ProposeRevision(
        change_set_id=change_set, standard_id=b, changes={"expected_answer": "no"},
        reason="remote administration must now be off"), scenario.committee)
    scenario.bus.handle(ProposeWeightChange(
        change_set_id=change_set, standard_id=c, priority=Priority.HIGH, reason="ransomware vector"),
        scenario.committee)
    scenario.bus.handle(ProposeNewStandard(
        change_set_id=change_set, standard=DraftStandard(
            key="FIR-900", category="firewalls", question="Is geo-blocking enabled?",
            how_to_check="Look at the policy.", why_it_matters="Fewer attack sources.",
            priority=Priority.MEDIUM, review_frequency=ReviewFrequency.ANNUAL)), scenario.committee)
    return {"a": a, "b": b, "c": c, "clients": (first, second), "change_set": change_set}


EXPECTED_SCORES = [("Client A", Decimal("94.44"), Decimal("31.25"), Decimal("-63.19")),
                   ("Client B", Decimal("11.11"), Decimal("100.00"), Decimal("88.89"))]


def proposed(scenario: Scenario, change_set: UUID) -> ProposedLibrary:
    return ProposedLibrary(overlay_from_change_set(
        load_change_set(scenario.ledger, scenario.committee, change_set)))


def test_impact_of_a_proposed_change_set_matches_the_hand_computed_scores(
        services: Any, scenario: Scenario, committee_meeting: dict[str, Any], caught_up: Any) -> None:
    caught_up()

    report = replay(services, scenario, proposed(scenario, committee_meeting["change_set"]))

    assert [(c.client_name, c.old_score, c.new_score, c.delta) for c in report.clients] == EXPECTED_SCORES
    assert (report.total.clients, report.total.clients_changed, report.total.items_changed) == (2, 2, 4)
    assert (report.total.average_old, report.total.average_new, report.total.average_delta) == (
        Decimal("52.8"), Decimal("65.6"), Decimal("12.9"))  # averages of 94.44 + 11.11, 31.25 + 100


def test_impact_lists_the_items_that_change_state_per_client_and_in_total(
        services: Any, scenario: Scenario, committee_meeting: dict[str, Any], caught_up: Any) -> None:
    caught_up()
    a, b = committee_meeting["a"], committee_meeting["b"]

    report = replay(services, scenario, proposed(scenario, committee_meeting["change_set"]))

    assert [c.changes for c in report.clients] == [
        (ItemChange(a, "FIR-000", "aligned", "retired"),
         ItemChange(b, "FIR-001", "aligned", "misaligned", True)),
        (ItemChange(a, "FIR-000", "misaligned", "retired"),
         ItemChange(b, "FIR-001", "misaligned", "aligned", True))]
    assert report.total.transitions == {
        "aligned -> misaligned": 1, "aligned -> retired": 1, "misaligned -> aligned": 1,
        "misaligned -> retired": 1}


def test_the_current_library_after_publishing_gives_the_scores_the_proposal_predicted(
        services: Any, scenario: Scenario, committee_meeting: dict[str, Any], caught_up: Any) -> None:
    scenario.bus.handle(PublishChangeSet(change_set_id=committee_meeting["change_set"]), scenario.committee,
        now())
    caught_up()

    report = replay(services, scenario, CurrentLibrary())

    assert [(c.client_name, c.old_score, c.new_score, c.delta) for c in report.clients] == EXPECTED_SCORES


def test_replaying_against_the_library_as_it_was_restores_the_weights_of_that_instant(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    high, low = scenario.standard(priority=Priority.HIGH), scenario.standard(priority=Priority.LOW)
    client = scenario.client("Client A")
    scenario.completed_review(client, {high: Answer.NO, low: Answer.YES})
    before = now()
    scenario.bus.handle(ReviseStandard(
        standard_id=high, changes={"priority": "low"}, reason="compensating control"), scenario.committee)
    caught_up()

    report = ImpactView(services.reader).replay(scenario.tenant, LibraryAsOf(before),
                                                baseline=CurrentLibrary())

    assert [(c.old_score, c.new_score, c.delta, c.changes) for c in report.clients] == [
        (Decimal("50.00"), Decimal("16.67"), Decimal("-33.33"), ())]


def test_a_standard_the_committee_has_not_decided_on_for_12_months_is_flagged_until_reviewed(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    stale, reviewed = scenario.standard(), scenario.standard()
    scenario.bus.handle(ConfirmStandardReviewed(
        standard_id=reviewed, reviewed_at=now() + timedelta(days=180), note="still right"),
        scenario.committee, now())
    caught_up()
    view = AsOfView(services.reader)

    soon, later = (view.standards_due_for_review(scenario.tenant, now() + timedelta(days=days))
                   for days in (300, 400))

    assert ([d.standard_id for d in soon], [d.standard_id for d in later]) == ([], [stale])


def test_as_of_now_agrees_with_the_live_alignment_view_item_by_item(
        services: Any, scenario: Scenario, caught_up: Any) -> None:
    first, second, third = scenario.standard(), scenario.standard(), scenario.standard(category="email")
    client = scenario.client()
    scenario.completed_review(client, {first: Answer.NO, second: Answer.YES, third: Answer.NO})
    scenario.completed_review(client, {first: Answer.YES})
    review = scenario.start(client)
    scenario.answer(client, review, second, Answer.NO)
    scenario.rate(client, review, second, Rating.MARGINAL)
    caught_up()

    live = services.alignment.alignment(scenario.tenant, client)
    then = as_of(services, scenario, client, now())

    assert (then.score, then.coverage, then.review_id, then.previous_review_id) == (
        live.score, live.coverage, live.review_id, live.previous_review_id)
    assert [(i.standard_id, i.answer, i.rating, i.status, i.previous_answer) for i in then.items] == [
        (i.standard_id, i.answer, i.rating, i.status, i.previous_answer) for i in live.items]
