"""Exact meeting dates of the annual plan: every meeting count, the window edges, the year end,
the stagger, and the committee's single yearly review.

The expected dates were worked out from the rule in ``schedulers.annual_plan``'s docstring
(2027 starts on a Friday and has 365 days; 2028 is a leap year starting on a Saturday).
"""

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.vocabulary import MeetingKind
from schedulers.annual_plan import (
    DayShape,
    meeting_day,
    period_start,
    plan_meetings,
    plan_single,
    slot_targets,
    stagger_days,
)

STRATEGY = MeetingKind.STRATEGY_MEETING
REVIEW = MeetingKind.STANDARDS_COMMITTEE
ANY_WEEKDAY = DayShape()


def days(year: int, count: int, shape: DayShape = ANY_WEEKDAY, start: date | None = None,
         seed: int | None = None) -> list[date]:
    return [m.scheduled_for.date() for m in plan_meetings(year, count, STRATEGY, shape, start, seed)]


@pytest.mark.parametrize(("count", "first", "last"), [
    (1, date(2027, 7, 15), date(2027, 7, 15)),
    (2, date(2027, 4, 15), date(2027, 10, 15)),
    (3, date(2027, 3, 15), date(2027, 11, 15)),
    (4, date(2027, 2, 15), date(2027, 11, 15)),
    (5, date(2027, 2, 5), date(2027, 11, 25)),
    (6, date(2027, 2, 15), date(2027, 12, 15)),
    (7, date(2027, 1, 27), date(2027, 12, 6)),
    (8, date(2027, 1, 22), date(2027, 12, 9)),
    (9, date(2027, 1, 21), date(2027, 12, 10)),
    (10, date(2027, 1, 19), date(2027, 12, 13)),
    (11, date(2027, 1, 18), date(2027, 12, 15)),
    (12, date(2027, 1, 15), date(2027, 12, 15)),
    (24, date(2027, 1, 8), date(2027, 12, 24)),
])
def test_each_meeting_count_gives_its_exact_first_and_last_meeting(count: int, first: date,
                                                                     last: date) -> None:
    planned = days(2027, count)

    assert (len(planned), planned[0], planned[-1]) == (count, first, last)


@pytest.mark.parametrize("count", [*range(1, 13), 24])
def test_meetings_are_numbered_from_1_in_date_order(count: int) -> None:
    planned = plan_meetings(2027, count, STRATEGY, ANY_WEEKDAY)

    assert [m.sequence for m in planned] == list(range(1, count + 1))
    assert [m.scheduled_for for m in planned] == sorted(m.scheduled_for for m in planned)


@pytest.mark.parametrize(("count", "first", "last"), [
    (5, date(2028, 2, 7), date(2028, 11, 24)),
    (8, date(2028, 1, 24), date(2028, 12, 8)),
    (24, date(2028, 1, 7), date(2028, 12, 25)),
])
def test_a_leap_year_spreads_its_slots_over_366_days(count: int, first: date, last: date) -> None:
    planned = days(2028, count)

    assert (planned[0], planned[-1]) == (first, last)


def test_slots_of_a_count_that_does_not_divide_twelve_aim_at_the_middle_of_equal_runs_of_days() -> None:
    assert slot_targets(2027, 5) == [date(2027, 2, 6), date(2027, 4, 20), date(2027, 7, 2),
                                     date(2027, 9, 13), date(2027, 11, 25)]


def test_no_meetings_means_no_slots() -> None:
    assert (slot_targets(2027, 0), plan_meetings(2027, 0, STRATEGY, ANY_WEEKDAY)) == ([], [])


def test_a_target_on_a_weekend_moves_forward_before_it_moves_back() -> None:
    assert meeting_day(date(2027, 2, 6), ANY_WEEKDAY) == date(2027, 2, 5)  # Sat: Sun no, Fri yes
    assert meeting_day(date(2027, 2, 7), ANY_WEEKDAY) == date(2027, 2, 8)  # Sun: Mon first


def test_a_meeting_never_moves_into_the_next_year() -> None:
    assert meeting_day(date(2028, 12, 31), ANY_WEEKDAY) == date(2028, 12, 29)


def test_a_meeting_never_moves_into_the_previous_year() -> None:
    shape = DayShape(weekday=5)

    assert meeting_day(date(2028, 1, 1), shape) == date(2028, 1, 7)


def test_a_target_with_no_acceptable_day_within_fifteen_days_has_no_meeting_day() -> None:
    blocked = frozenset(date(2027, 2, 1) + timedelta(days=i) for i in range(31))

    assert meeting_day(date(2027, 2, 15), DayShape(holidays=blocked)) is None


def test_a_target_fifteen_days_from_the_only_free_day_still_reaches_it() -> None:
    blocked = frozenset(date(2027, 2, 1) + timedelta(days=i) for i in range(31)) - {date(2027, 3, 2)}

    assert meeting_day(date(2027, 2, 15), DayShape(holidays=blocked)) == date(2027, 3, 2)


def test_a_meeting_without_a_possible_day_is_dropped_and_the_later_ones_are_kept() -> None:
    blocked = frozenset(date(2027, 2, 1) + timedelta(days=i) for i in range(31))

    planned = plan_meetings(2027, 4, STRATEGY, DayShape(holidays=blocked))

    assert [m.sequence for m in planned] == [2, 3, 4]


def test_a_plan_starting_on_a_meeting_day_keeps_that_meeting() -> None:
    assert days(2027, 4, start=date(2027, 5, 14)) == [date(2027, 5, 14), date(2027, 8, 16),
                                                     date(2027, 11, 15)]


def test_a_plan_starting_the_day_after_a_meeting_drops_it_but_keeps_the_numbering() -> None:
    planned = plan_meetings(2027, 4, STRATEGY, ANY_WEEKDAY, start=date(2027, 5, 15))

    assert [m.sequence for m in planned] == [3, 4]


def test_the_window_compares_the_meeting_s_utc_date_not_its_local_one() -> None:
    late = DayShape(time_of_day=time(23, 30), timezone="America/New_York")

    planned = plan_meetings(2027, 4, STRATEGY, late, start=date(2027, 2, 16))

    assert planned[0].scheduled_for == datetime(2027, 2, 16, 4, 30, tzinfo=UTC)


def test_a_meeting_starts_at_the_client_s_local_time_given_in_utc() -> None:
    shape = DayShape(time_of_day=time(10, 0), timezone="Europe/Amsterdam")

    assert shape.moment(date(2027, 2, 15)) == datetime(2027, 2, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("day", "accepted"), [
    (date(2027, 2, 13), False),  # Saturday
    (date(2027, 2, 14), False),  # Sunday
    (date(2027, 2, 15), True),
    (date(2027, 2, 19), True),   # Friday
])
def test_only_monday_to_friday_is_accepted(day: date, accepted: bool) -> None:
    assert ANY_WEEKDAY.accepts(day) is accepted


def test_a_holiday_is_not_accepted() -> None:
    assert DayShape(holidays=frozenset({date(2027, 2, 15)})).accepts(date(2027, 2, 15)) is False


def test_only_the_preferred_weekday_is_accepted_when_one_is_set() -> None:
    shape = DayShape(weekday=3)

    assert [shape.accepts(date(2027, 2, d)) for d in range(15, 20)] == [False, False, True, False, False]


@pytest.mark.parametrize(("count", "width"), [(1, 10), (4, 10), (6, 10), (12, 7), (24, 3), (52, 1),
                                              (365, 0)])
def test_the_stagger_is_a_quarter_of_a_slot_at_most_and_never_more_than_ten_days(count: int,
                                                                                 width: int) -> None:
    offsets = {stagger_days(seed, count) for seed in range(100)}

    assert offsets == set(range(-width, width + 1))


def test_no_meetings_means_no_stagger() -> None:
    assert (stagger_days(7, 0), stagger_days(7, -1)) == (0, 0)


def test_seed_zero_takes_the_earliest_offset() -> None:
    assert (stagger_days(0, 4), stagger_days(20, 4), stagger_days(21, 4)) == (-10, 10, -10)


@given(seed=st.integers(min_value=0, max_value=2**128), count=st.integers(min_value=1, max_value=366))
def test_every_stagger_lies_within_its_width(seed: int, count: int) -> None:
    width = min(10, 365 // count // 4)

    assert -width <= stagger_days(seed, count) <= width


@given(seed=st.integers(min_value=0, max_value=2**128), count=st.sampled_from([*range(1, 13), 24]))
def test_a_staggered_plan_moves_each_meeting_by_the_stagger_before_finding_its_day(seed: int,
                                                                                   count: int) -> None:
    offset = timedelta(days=stagger_days(seed, count))
    targets = slot_targets(2027, count)

    planned = days(2027, count, seed=seed)

    expected = [meeting_day(t + offset if (t + offset).year == 2027 else t, ANY_WEEKDAY) for t in targets]
    assert planned == expected


def test_the_latest_stagger_of_a_fortnightly_plan_keeps_its_last_meeting_in_the_year() -> None:
    seed = next(s for s in range(100) if stagger_days(s, 24) == 3)

    planned = days(2028, 24, seed=seed)

    assert (planned[-1], len(planned)) == (date(2028, 12, 27), 24)


@given(count=st.sampled_from([*range(1, 13), 24]), seed=st.none() | st.integers(0, 2**128),
       day_of_year=st.integers(0, 364), weekday=st.none() | st.integers(1, 5))
def test_the_plan_for_the_rest_of_the_year_is_the_tail_of_the_plan_from_1_january(
        count: int, seed: int | None, day_of_year: int, weekday: int | None) -> None:
    shape = DayShape(weekday=weekday)
    start = date(2027, 1, 1) + timedelta(days=day_of_year)
    whole = plan_meetings(2027, count, STRATEGY, shape, seed=seed)

    rest = plan_meetings(2027, count, STRATEGY, shape, start=start, seed=seed)

    assert rest == [m for m in whole if m.scheduled_for.date() >= start]


def test_a_plan_made_in_december_for_next_year_starts_on_1_january() -> None:
    assert period_start(2027, datetime(2026, 12, 1, 6, tzinfo=UTC), min_lead_days=7) == date(2027, 1, 1)


def test_a_plan_made_mid_year_starts_after_the_lead_time() -> None:
    assert period_start(2027, datetime(2027, 6, 20, tzinfo=UTC), min_lead_days=7) == date(2027, 6, 27)


def test_the_lead_time_counts_from_the_utc_date_of_now() -> None:
    evening = datetime(2027, 6, 20, 22, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Pacific/Auckland"))

    assert period_start(2027, evening, min_lead_days=0) == date(2027, 6, 20)


def test_a_lead_time_ending_on_31_december_still_leaves_that_day() -> None:
    assert period_start(2027, datetime(2027, 12, 24, tzinfo=UTC), min_lead_days=7) == date(2027, 12, 31)


def test_the_committee_s_yearly_review_aims_at_the_15th_of_its_month() -> None:
    proposed = plan_single(2027, 11, REVIEW, ANY_WEEKDAY)

    assert proposed is not None
    assert (proposed.sequence, proposed.kind, proposed.scheduled_for) == (
        1, REVIEW, datetime(2027, 11, 15, 10, tzinfo=UTC))


def test_the_committee_s_review_on_a_weekend_moves_to_the_nearest_business_day() -> None:
    proposed = plan_single(2027, 5, REVIEW, ANY_WEEKDAY)  # 15 May 2027 is a Saturday

    assert proposed is not None and proposed.scheduled_for.date() == date(2027, 5, 14)


def test_the_committee_s_review_on_the_window_start_is_kept() -> None:
    proposed = plan_single(2027, 11, REVIEW, ANY_WEEKDAY, start=date(2027, 11, 15))

    assert proposed is not None and proposed.scheduled_for.date() == date(2027, 11, 15)


def test_the_committee_s_review_before_the_window_start_is_not_planned() -> None:
    assert plan_single(2027, 11, REVIEW, ANY_WEEKDAY, start=date(2027, 11, 16)) is None


def test_the_committee_s_review_with_no_possible_day_is_not_planned() -> None:
    blocked = frozenset(date(2027, 10, 25) + timedelta(days=i) for i in range(45))

    assert plan_single(2027, 11, REVIEW, DayShape(holidays=blocked)) is None


def test_two_clients_with_different_seeds_keep_their_own_stagger() -> None:
    seeds = [uuid4().int for _ in range(2)]

    plans = [days(2027, 4, seed=s)[0] - date(2027, 2, 15) for s in seeds]

    assert all(abs(p.days) <= 12 for p in plans)


def test_a_free_day_sixteen_days_from_the_target_is_too_far() -> None:
    blocked = frozenset(date(2027, 2, 1) + timedelta(days=i) for i in range(30))  # 3 March is free

    assert meeting_day(date(2027, 2, 15), DayShape(holidays=blocked)) is None


def test_each_planned_meeting_carries_the_kind_it_was_planned_as() -> None:
    planned = plan_meetings(2027, 4, MeetingKind.TECHNOLOGY_BUSINESS_REVIEW, ANY_WEEKDAY)

    assert {m.kind for m in planned} == {MeetingKind.TECHNOLOGY_BUSINESS_REVIEW}


def test_the_stagger_is_a_whole_number_of_days() -> None:
    assert type(stagger_days(5, 12)) is int


def test_meeting_moments_are_in_utc_whatever_the_server_s_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    __import__("time").tzset()
    try:
        moment = DayShape(time_of_day=time(10, 0), timezone="Europe/Amsterdam").moment(date(2027, 2, 15))
    finally:
        monkeypatch.undo()
        __import__("time").tzset()

    assert moment.tzinfo is UTC


def test_the_plan_period_starts_on_the_utc_date_whatever_the_server_s_time_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    __import__("time").tzset()
    try:
        start = period_start(2027, datetime(2027, 6, 20, 22, tzinfo=UTC), min_lead_days=0)
    finally:
        monkeypatch.undo()
        __import__("time").tzset()

    assert start == date(2027, 6, 20)
