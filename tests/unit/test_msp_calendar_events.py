"""What the MSP's calendar records for the committee's year, and the plan rules it keeps."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.cadence_state import PlannedMeeting
from aggregates.errors import InvalidValueError, MeetingPlanAlreadyScheduledError
from aggregates.msp_calendar import MspCalendar
from events.vocabulary import MeetingKind
from tests.unit.client_steps import refusal

PLANNED_AS_OF = datetime(2027, 1, 4, 6, tzinfo=UTC)
REVIEW_AT = datetime(2027, 11, 15, 10, tzinfo=timezone(timedelta(hours=1)))


def opened() -> MspCalendar:
    return MspCalendar(tenant="msp-1", by="sched")


def committee(when: datetime, kind: MeetingKind = MeetingKind.STANDARDS_COMMITTEE) -> PlannedMeeting:
    return PlannedMeeting(uuid4(), kind, when)


def planned(calendar: MspCalendar, meetings: list[PlannedMeeting], *, year: int = 2027,
            review_id: UUID | None = None, review_at: datetime | None = None) -> None:
    calendar.schedule_committee_plan(year=year, period_start=date(year, 1, 1), meetings=meetings,
                                     library_review_id=review_id, library_review_at=review_at,
                                     planned_as_of=PLANNED_AS_OF, by="sched")


def of_type(calendar: MspCalendar, kind: type) -> list[Any]:
    return [e for e in calendar.pending_events if isinstance(e, kind)]


def test_an_opened_calendar_records_its_tenant_and_has_no_plan_or_meeting() -> None:
    calendar = opened()

    event = calendar.pending_events[-1]
    assert (type(event), event.tenant, event.by, calendar.planned_years, calendar.meetings) == (
        MspCalendar.MspCalendarOpened, "msp-1", "sched", frozenset(), {})


def test_a_committee_plan_records_its_year_period_meetings_and_time_of_planning() -> None:
    calendar = opened()
    meetings = [committee(datetime(2027, 3, 1, 9, tzinfo=UTC)),
                committee(datetime(2027, 9, 1, 9, tzinfo=UTC))]

    planned(calendar, meetings)

    (event,) = of_type(calendar, MspCalendar.CommitteePlanScheduled)
    assert (event.year, event.period_start, event.meetings, event.planned_as_of, event.by) == (
        2027, date(2027, 1, 1), [m.to_record() for m in meetings], PLANNED_AS_OF, "sched")
    assert (calendar.has_committee_plan(2027), calendar.has_committee_plan(2028)) == (True, False)


def test_a_committee_plan_schedules_each_meeting_in_order() -> None:
    calendar = opened()
    meetings = [committee(datetime(2027, 3, 1, 9, tzinfo=UTC)),
                committee(datetime(2027, 9, 1, 9, tzinfo=UTC))]

    planned(calendar, meetings)

    scheduled = of_type(calendar, MspCalendar.CommitteeMeetingScheduled)
    assert [(e.meeting_id, e.scheduled_for, e.by) for e in scheduled] == [
        (m.meeting_id, m.scheduled_for, "sched") for m in meetings]
    assert calendar.meetings == {m.meeting_id: m.scheduled_for for m in meetings}


@pytest.mark.usefixtures("server_in_new_york")
def test_the_library_review_is_scheduled_in_utc_with_its_year_whatever_the_server_s_timezone() -> None:
    calendar = opened()
    review_id = uuid4()

    planned(calendar, [], review_id=review_id, review_at=REVIEW_AT)

    (event,) = of_type(calendar, MspCalendar.LibraryReviewScheduled)
    assert (event.review_id, event.year, event.scheduled_for, event.scheduled_for.tzinfo, event.by) == (
        review_id, 2027, REVIEW_AT, UTC, "sched")


def test_a_plan_without_a_library_review_schedules_none() -> None:
    calendar = opened()

    planned(calendar, [committee(datetime(2027, 3, 1, 9, tzinfo=UTC))])

    assert of_type(calendar, MspCalendar.LibraryReviewScheduled) == []


def test_a_second_committee_plan_for_a_year_is_refused_naming_the_year() -> None:
    calendar = opened()
    planned(calendar, [])

    assert refusal(MeetingPlanAlreadyScheduledError, lambda: planned(calendar, [])) == (
        "year", "the committee already has a plan for 2027")


def test_a_committee_plan_for_the_next_year_is_accepted() -> None:
    calendar = opened()
    planned(calendar, [])

    planned(calendar, [], year=2028)

    assert calendar.planned_years == frozenset({2027, 2028})


def test_a_committee_plan_holding_another_kind_of_meeting_is_refused() -> None:
    calendar = opened()
    meetings = [committee(datetime(2027, 3, 1, 9, tzinfo=UTC)),
                committee(datetime(2027, 6, 1, 9, tzinfo=UTC), MeetingKind.STRATEGY_MEETING)]

    assert refusal(InvalidValueError, lambda: planned(calendar, meetings)) == (
        "meetings", "the committee's plan holds committee meetings only")


def test_a_committee_plan_of_more_than_52_meetings_is_refused() -> None:
    calendar = opened()
    meetings = [committee(datetime(2027, 1, 1, 9, tzinfo=UTC) + timedelta(days=day)) for day in range(53)]

    assert refusal(InvalidValueError, lambda: planned(calendar, meetings)) == (
        "meetings_per_year", "must be between 0 and 52")


def test_a_committee_meeting_outside_the_year_is_refused() -> None:
    calendar = opened()

    assert refusal(InvalidValueError, lambda: planned(
        calendar, [committee(datetime(2028, 1, 2, 9, tzinfo=UTC))]))[0] == "meetings"


@pytest.mark.parametrize("given", ["id", "time"])
def test_a_library_review_with_only_its_id_or_only_its_time_is_refused(given: str) -> None:
    calendar = opened()

    assert refusal(InvalidValueError, lambda: planned(
        calendar, [], review_id=uuid4() if given == "id" else None,
        review_at=REVIEW_AT if given == "time" else None)) == (
        "library_review_at", "give both the review's id and its time")


def test_a_library_review_outside_the_year_is_refused() -> None:
    calendar = opened()

    assert refusal(InvalidValueError, lambda: planned(
        calendar, [], review_id=uuid4(), review_at=datetime(2028, 1, 5, tzinfo=UTC))) == (
        "meetings", "2028-01-05 is outside the planned period 2027-01-01 to the end of 2027")


def test_a_later_plan_carries_the_calendar_s_tenant() -> None:
    calendar = opened()

    planned(calendar, [])

    assert (calendar.tenant, calendar.pending_events[-1].tenant) == ("msp-1", "msp-1")
