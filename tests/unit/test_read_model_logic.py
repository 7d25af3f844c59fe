"""The pure logic of read models, apart from their SQL: a review's stage and whose turn it is,
which clients need a review before their next strategy meeting, how a change set's proposals
change the judgement of answers, and the scorecard's due dates and fresh coverage."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.change_set import ProposedRetirement, ProposedRevision, ProposedWeightChange
from events.vocabulary import Priority
from projections.client_directory import ReviewArea
from projections.library_versions import (
    AsAnswered,
    CurrentLibrary,
    LibraryAsOf,
    LibraryOverlay,
    ProposedLibrary,
    StandardOverride,
    overlay_from_change_set,
)
from projections.meeting_calendar import CalendarMeeting
from projections.review_stages import ReviewUnderWay, review_stage
from projections.reviews_due import ReviewsDueView, due_order, next_meetings
from projections.scorecard import Scorecard, ScorecardItem, fresh_share, months_after, scorecard_item

TODAY = date(2027, 3, 1)
AT = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(("submitted", "completed", "stage"), [
    (None, None, "answering"), (AT, None, "submitted"), (AT, AT, "finalised"), (None, AT, "finalised")])
def test_a_reviews_stage_follows_from_its_submission_and_completion(
        submitted: datetime | None, completed: datetime | None, stage: str) -> None:
    assert review_stage(submitted, completed) == stage


def under_way(stage: str, sent_back: int = 0, unrated: int = 0) -> ReviewUnderWay:
    return ReviewUnderWay(uuid4(), "Acme", "vera", "tom", uuid4(), 1, stage, AT, None, 3, sent_back, unrated)


@pytest.mark.parametrize(("review", "waiting_for"), [
    (under_way("answering"), "to_answer"),
    (under_way("answering", unrated=2), "to_answer"),
    (under_way("submitted", sent_back=1, unrated=2), "to_answer"),
    (under_way("submitted", unrated=2), "to_rate"),
    (under_way("submitted"), "to_finalise")])
def test_a_review_under_way_waits_for_the_tam_then_the_vcios_rating_then_finalising(
        review: ReviewUnderWay, waiting_for: str) -> None:
    assert review.waiting_for == waiting_for


def meeting(client_id: UUID, days: int, kind: str = "strategy_meeting", status: str = "planned",
            name: str = "Acme") -> CalendarMeeting:
    when = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(days=days, hours=10)
    return CalendarMeeting(uuid4(), client_id, name, "vera", kind, status, when, when, None, 0, None, None,
                           (),
                           (), None)


def test_a_clients_next_strategy_meeting_is_its_first_one_from_today_not_held_or_cancelled() -> None:
    client_id = uuid4()
    meetings = [meeting(client_id, -1), meeting(client_id, 0, status="held"),
                meeting(client_id, 1, status="cancelled"), meeting(client_id, 2, kind="onboarding_call"),
                meeting(client_id, 3, kind="technology_business_review", status="rescheduled"),
                meeting(client_id, 4)]

    assert next_meetings(meetings, TODAY) == {client_id: meetings[4]}


def test_a_strategy_meeting_today_is_the_next_one() -> None:
    client_id = uuid4()
    meetings = [meeting(client_id, 0), meeting(client_id, 5)]

    assert next_meetings(meetings, TODAY) == {client_id: meetings[0]}


def area(client_id: UUID, category: str, due_in: int | None, tam: str = "tom", never: int = 0,
         name: str = "Acme") -> ReviewArea:
    midnight = datetime.combine(TODAY, datetime.min.time(), UTC)
    due = None if due_in is None else midnight + timedelta(days=due_in)
    return ReviewArea(client_id, name, "vera", category, 3, None, due, tam, 4, never)


class Directory:
    def __init__(self, areas: list[ReviewArea]) -> None:
        self.areas = areas

    def review_areas(self, tenant: str) -> list[ReviewArea]:
        return self.areas if tenant == "msp" else []


class Calendar:
    def __init__(self, meetings: list[CalendarMeeting]) -> None:
        self.meetings = meetings
        self.asked: list[Any] = []

    def calendar(self, tenant: str, period: Any, today: date) -> Any:
        self.asked.append((tenant, period.start, period.end, today))
        return SimpleNamespace(meetings=self.meetings if tenant == "msp" else [])


def test_a_client_with_an_area_due_by_its_next_meeting_needs_a_review_the_lead_time_before() -> None:
    client_id = uuid4()
    next_one = meeting(client_id, 30)
    view = ReviewsDueView(Directory([area(client_id, "backups", 20, never=1), area(client_id, "email", 40),
                                     area(client_id, "wireless", None, never=2)]),
                          Calendar([next_one]))

    [due] = view.reviews_due("msp", TODAY, lead_days=10)

    assert (due.client_id, due.client_name, due.vcio, due.tam, due.meeting_id, due.meeting_kind,
            due.meeting_at,
            due.review_by, due.due_categories, due.never_answered, due.late) == (
        client_id, "Acme", "vera", "tom", next_one.meeting_id, "strategy_meeting", next_one.scheduled_for,
        TODAY + timedelta(days=20), ("backups", "wireless"), 3, False)


def test_the_calendar_is_read_from_today_for_four_hundred_days() -> None:
    calendar = Calendar([])

    ReviewsDueView(Directory([]), calendar).reviews_due("msp", TODAY)

    assert calendar.asked == [("msp", TODAY, TODAY + timedelta(days=400), TODAY)]


def test_an_area_due_on_the_meeting_day_counts_and_one_due_the_day_after_does_not() -> None:
    on_time, after = uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(on_time, "backups", 30), area(after, "backups", 31)]),
                          Calendar([meeting(on_time, 30), meeting(after, 30)]))

    assert [d.client_id for d in view.reviews_due("msp", TODAY)] == [on_time]


def test_the_default_lead_time_is_fourteen_days() -> None:
    client_id = uuid4()
    view = ReviewsDueView(Directory([area(client_id, "backups", 0)]), Calendar([meeting(client_id, 30)]))

    assert view.reviews_due("msp", TODAY)[0].review_by == TODAY + timedelta(days=16)


@pytest.mark.parametrize(("meeting_in", "late"), [(9, True), (10, False)])
def test_a_review_whose_review_by_day_has_passed_is_late(meeting_in: int, late: bool) -> None:
    client_id = uuid4()
    view = ReviewsDueView(Directory([area(client_id, "backups", 0)]),
                          Calendar([meeting(client_id, meeting_in)]))

    assert view.reviews_due("msp", TODAY, lead_days=10)[0].late is late


def test_a_client_without_a_next_meeting_or_without_due_areas_is_not_listed() -> None:
    no_meeting, nothing_due = uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(no_meeting, "backups", 0), area(nothing_due, "backups", 90)]),
                          Calendar([meeting(nothing_due, 30)]))

    assert view.reviews_due("msp", TODAY) == []


def test_reviews_due_for_one_tam_leave_out_the_other_tams_clients() -> None:
    toms, tias = uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(toms, "backups", 0), area(tias, "backups", 0, tam="tia")]),
                          Calendar([meeting(toms, 30), meeting(tias, 30)]))

    assert [d.tam for d in view.reviews_due("msp", TODAY, tam="tia")] == ["tia"]


def test_reviews_due_are_listed_soonest_first_then_by_client_name() -> None:
    first, second, third = uuid4(), uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(first, "b", 0, name="Zeta"), area(second, "b", 0, name="Beta"),
                                     area(third, "b", 0, name="Alpha")]),
                          Calendar([meeting(first, 20), meeting(second, 30), meeting(third, 30)]))

    assert [d.client_name for d in view.reviews_due("msp", TODAY)] == ["Zeta", "Alpha", "Beta"]


def five_due() -> tuple[ReviewsDueView, list[UUID]]:
    """Five clients due, in the listed order: by review-by day, name, then id (two share both)."""
    ids = sorted(uuid4() for _ in range(2)) + [uuid4() for _ in range(3)]
    names = ["Beta", "Beta", "Alpha", "Gamma", "Alpha"]
    days = [20, 20, 30, 30, 40]
    view = ReviewsDueView(Directory([area(i, "b", 0, name=n) for i, n in zip(ids, names, strict=True)]),
                          Calendar([meeting(i, d) for i, d in zip(ids, days, strict=True)]))
    return view, ids


def test_reviews_due_are_paged_in_their_order_with_the_total_over_every_page() -> None:
    view, order = five_due()

    first = view.page("msp", TODAY, limit=2)
    second = view.page("msp", TODAY, after=due_order(first.reviews[-1]), limit=2)
    rest = view.page("msp", TODAY, after=due_order(second.reviews[-1]))
    past = view.page("msp", TODAY, after=due_order(rest.reviews[-1]), limit=2)

    assert [[r.client_id for r in p.reviews] for p in (first, second, rest, past)] == [
        order[:2], order[2:4], order[4:], []]
    assert {p.total for p in (first, second, rest, past)} == {5}


def test_a_page_of_reviews_due_follows_the_lead_time_and_the_tam_asked_for() -> None:
    toms, tias = uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(toms, "backups", 0), area(tias, "backups", 0, tam="tia")]),
                          Calendar([meeting(toms, 30), meeting(tias, 30)]))

    default = view.page("msp", TODAY)
    tias_page = view.page("msp", TODAY, lead_days=10, tam="tia", limit=5)

    assert ([r.review_by for r in default.reviews], default.total) == (
        [TODAY + timedelta(days=16)] * 2, 2)
    assert ([(r.client_id, r.review_by) for r in tias_page.reviews], tias_page.total) == (
        [(tias, TODAY + timedelta(days=20))], 1)


def test_the_library_versions_are_labelled_for_the_reader() -> None:
    overlay = LibraryOverlay("spring review")

    labels = [AsAnswered.label, CurrentLibrary.label, LibraryAsOf(AT).label, ProposedLibrary(overlay).label]

    assert labels == [
        "as answered", "current library", "library as of 2027-02-01T09:00:00+00:00",
        "proposed: spring review"]


def test_a_change_sets_proposals_become_overrides_of_how_answers_are_judged() -> None:
    revised, weighed, retired = uuid4(), uuid4(), uuid4()
    change_set = SimpleNamespace(title="spring review", proposals_on_existing=[
        ProposedRevision(uuid4(), revised, 1,
                         {"category": "email", "priority": "low", "expected_answer": "no"},
                         "why", True),
        ProposedWeightChange(uuid4(), weighed, 2, Priority.HIGH, "why"),
        ProposedRetirement(uuid4(), retired, 1, "why", ())],
        new_standards=[SimpleNamespace(key="MFA-009"), SimpleNamespace(key="MFA-010")])

    overlay = overlay_from_change_set(change_set)

    assert overlay == LibraryOverlay("spring review", {
        revised: StandardOverride(category="email", priority="low", expected_answer="no",
                                  meaning_changed=True),
        weighed: StandardOverride(priority="high"),
        retired: StandardOverride(retired=True)}, ("MFA-009", "MFA-010"))


def test_a_revision_that_changes_only_the_wording_overrides_nothing_of_the_judgement() -> None:
    standard_id = uuid4()
    change_set = SimpleNamespace(title="t", new_standards=[], proposals_on_existing=[
        ProposedRevision(uuid4(), standard_id, 1, {"question": "Reworded?"}, "why", False)])

    assert overlay_from_change_set(change_set).overrides == {standard_id: StandardOverride()}


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2027, 11, 15), 3, date(2028, 2, 15)),
    (date(2027, 12, 1), 12, date(2028, 12, 1)),
    (date(2027, 3, 31), 6, date(2027, 9, 30)),
    (date(2027, 1, 15), 12, date(2028, 1, 15)),
])
def test_months_after_a_day_is_the_same_day_or_the_months_last_day(
        day: date, months: int, expected: date) -> None:
    assert months_after(day, months) == expected


def row(answer: str | None = "yes", observed: datetime | None = AT, frequency: str = "quarterly",
        category: str = "backups", priority: str = "high", key: str = "BAK-001",
        rating: str | None = None) -> tuple[Any, ...]:
    return (uuid4(), key, category, "Is it done?", priority, "yes", frequency, answer, rating, "a note",
            observed, uuid4(), 4, AT)


def test_a_scorecard_item_is_due_its_review_frequency_after_its_answer() -> None:
    item = scorecard_item(row(observed=datetime(2026, 12, 1, 23, tzinfo=UTC)), TODAY)

    assert (item.due_on, item.age_days, item.is_due, item.review_number, item.note, item.finalised_at) == (
        date(2027, 3, 1), 90, True, 4, "a note", AT)


def test_a_scorecard_item_due_after_today_is_not_due() -> None:
    item = scorecard_item(row(observed=datetime(2026, 12, 2, tzinfo=UTC)), TODAY)

    assert (item.due_on, item.age_days, item.is_due) == (date(2027, 3, 2), 89, False)


def test_a_never_answered_item_is_due_now_with_no_age() -> None:
    item = scorecard_item(row(answer=None, observed=None), TODAY)

    assert (item.due_on, item.age_days, item.is_due, item.status) == (None, None, True, "unanswered")


def test_fresh_coverage_counts_answered_applicable_items_that_are_not_due() -> None:
    items = [scorecard_item(row(observed=observed), TODAY) for observed in (
        datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 2, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))]
    items += [scorecard_item(row(answer=None, observed=None), TODAY),
              scorecard_item(row(answer="not_applicable", observed=datetime(2026, 1, 1, tzinfo=UTC)), TODAY)]

    assert fresh_share(items) == (Decimal("50.00"), 1)


def test_fresh_coverage_rounds_half_up_to_hundredths() -> None:
    items = [scorecard_item(row(observed=datetime(2027, 2, 1, tzinfo=UTC)), TODAY)] + [
        scorecard_item(row(answer=None, observed=None), TODAY) for _ in range(2)]

    assert fresh_share(items) == (Decimal("33.33"), 0)


def test_without_applicable_items_there_is_no_fresh_coverage() -> None:
    items = [scorecard_item(row(answer="not_applicable", observed=datetime(2026, 1, 1, tzinfo=UTC)), TODAY)]

    assert fresh_share(items) == (None, 0)


def scorecard(items: list[ScorecardItem]) -> Scorecard:
    return Scorecard(uuid4(), TODAY, None, None, None, 0, 0, 0, 0, 0, 0, [], items)


def test_misaligned_items_are_listed_most_important_first_then_highly_vulnerable_then_by_key() -> None:
    items = [scorecard_item(row(answer="no", priority=p, rating=r, key=k), TODAY) for p, r, k in (
        ("low", None, "A-1"), ("high", "marginal", "A-2"), ("high", "highly_vulnerable", "A-3"),
        ("high", None, "A-5"), ("high", None, "A-4"), ("medium", None, "A-6"))]
    items.append(scorecard_item(row(answer="yes", key="A-0"), TODAY))

    assert [i.key for i in scorecard(items).misaligned] == ["A-4", "A-5", "A-3", "A-2", "A-6", "A-1"]


def test_the_due_categories_are_the_sorted_categories_with_a_standard_due() -> None:
    items = [scorecard_item(row(category=c, observed=o), TODAY) for c, o in (
        ("wireless", None), ("backups", datetime(2026, 1, 1, tzinfo=UTC)),
        ("email", datetime(2027, 2, 1, tzinfo=UTC)),
        ("backups", None))]

    assert scorecard(items).due_categories == ["backups", "wireless"]


def test_a_scorecard_item_is_scored_by_its_category_priority_expected_answer_answer_and_rating() -> None:
    item = scorecard_item(row(answer="no", rating="marginal"), TODAY)

    scored = item.scored
    assert (scored.category, scored.priority, scored.expected_answer, scored.answer, scored.rating) == (
        "backups", "high", "yes", "no", "marginal")


def test_a_scorecard_item_carries_the_row_it_was_read_from() -> None:
    standard_id, review_id = uuid4(), uuid4()
    observed = datetime(2027, 2, 3, 4, 5, tzinfo=UTC)

    item = scorecard_item((standard_id, "BAK-7", "backups", "Is it offsite?", "low", "no", "annual", "yes",
                           None, "seen", observed, review_id, 9, AT), TODAY)

    assert (item.standard_id, item.key, item.category, item.question, item.priority, item.expected_answer,
            item.review_frequency, item.answer, item.rating, item.note, item.observed_at, item.review_id,
            item.review_number, item.finalised_at, item.due_on) == (
        standard_id, "BAK-7", "backups", "Is it offsite?", "low", "no", "annual", "yes", None, "seen",
        observed, review_id, 9, AT, date(2028, 2, 3))


def test_fresh_coverage_rounds_a_half_hundredth_up() -> None:
    items = [scorecard_item(row(observed=datetime(2027, 2, 1, tzinfo=UTC)), TODAY)] + [
        scorecard_item(row(answer=None, observed=None), TODAY) for _ in range(31)]

    assert fresh_share(items) == (Decimal("3.13"), 0)


def test_a_client_with_a_next_meeting_but_no_review_area_at_all_is_not_listed() -> None:
    listed, bare = uuid4(), uuid4()
    view = ReviewsDueView(Directory([area(listed, "backups", 0)]),
                          Calendar([meeting(bare, 10), meeting(listed, 30)]))

    assert [d.client_id for d in view.reviews_due("msp", TODAY)] == [listed]
