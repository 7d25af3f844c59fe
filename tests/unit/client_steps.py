"""Arranging a `Client` for the unit tests of its commands: onboarded with the same profile, and
meetings, reviews and recommendations with the fields that do not matter to a test filled in;
`refusal` gives the field and reason of the domain error an act raises."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from aggregates.cadence_state import PlannedMeeting
from aggregates.client import Client
from aggregates.review_state import StandardFacts
from events.vocabulary import Answer, ExpectedAnswer, MeetingKind, Priority

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)
Q2 = date(2027, 4, 1)
MONDAY = datetime(2027, 5, 3, 9, tzinfo=UTC)


def onboarded(fiscal_year_start_month: int = 1) -> Client:
    return Client(tenant="msp-1", name="Acme", mrr=Decimal("3000.00"), user_count=24, complexity=5,
                  industry="legal", fiscal_year_start_month=fiscal_year_start_month, vcio="vera",
                  tam="tom", by="vera")


def last_event(aggregate: Any) -> Any:
    return aggregate.pending_events[-1]


def refusal(error: type[Exception], act: Any) -> tuple[str, str]:
    with pytest.raises(error) as raised:
        act()
    return raised.value.field, raised.value.reason  # type: ignore[attr-defined]


def scheduled(client: Client, when: datetime = MONDAY) -> UUID:
    meeting_id = uuid4()
    client.schedule_meeting(meeting_id=meeting_id, kind=MeetingKind.STRATEGY_MEETING,
                            scheduled_for=when, attendees=["vera"], by="vera")
    return meeting_id


def cancelled(client: Client, when: datetime = MONDAY) -> UUID:
    meeting_id = scheduled(client, when)
    client.cancel_meeting(meeting_id=meeting_id, reason="holiday", by="vera")
    return meeting_id


def held(client: Client) -> UUID:
    meeting_id = scheduled(client)
    client.hold_meeting(meeting_id=meeting_id, held_at=MONDAY, summary="went well", by="vera")
    return meeting_id


def facts() -> StandardFacts:
    return StandardFacts(uuid4(), "firewalls", 1, ExpectedAnswer.YES, True, "published")


def reviewed(client: Client, answers: list[Answer], *, submit: bool = True) -> tuple[UUID, list[UUID]]:
    """A review of the client answered as given (and submitted): its id and its standards' ids."""
    review_id = uuid4()
    client.start_review(review_id=review_id, categories=[], in_scope=len(answers), started_at=AT, by="tom")
    standards = [facts() for _ in answers]
    for standard, answer in zip(standards, answers, strict=True):
        client.record_answer(review_id=review_id, standard=standard, answer=answer, note="",
                             observed_at=AT, by="tom")
    if submit:
        client.submit_review(review_id=review_id, in_scope=[s.standard_id for s in standards],
                             confirm_unanswered=False, submitted_at=AT, by="tom")
    return review_id, [s.standard_id for s in standards]


def proposed(client: Client, findings: list[UUID] | None = None, **overrides: Any) -> UUID:
    recommendation_id = uuid4()
    fields: dict[str, Any] = dict(
        recommendation_id=recommendation_id, title="Replace the firewall",
        business_impact="Fewer outages", finding_standard_ids=findings or [],
        one_time_budget=Decimal("5000"), recurring_monthly_budget=Decimal("100"),
        estimated_hours=Decimal("12.5"), target_quarter_start=Q2, priority=Priority.HIGH,
        owner="vera", capital_expense=True, by="vera")
    fields.update(overrides)
    client.propose_recommendation(**fields)
    return recommendation_id


PLANNED_AS_OF = datetime(2027, 1, 4, 6, tzinfo=UTC)


def meeting(when: datetime, kind: MeetingKind = MeetingKind.STRATEGY_MEETING) -> PlannedMeeting:
    return PlannedMeeting(uuid4(), kind, when)


def planned(client: Client, meetings: list[PlannedMeeting], year: int = 2027,
            period_start: date = date(2027, 1, 1), meetings_per_year: int = 4) -> None:
    client.schedule_meeting_plan(year=year, period_start=period_start, meetings=meetings,
                                 meetings_per_year=meetings_per_year, touches_per_month=2,
                                 cadence_source="rule:standard", planned_as_of=PLANNED_AS_OF,
                                 by="vcio-scheduler")
