"""Offboarding and re-onboarding a client, decided by the ``Client`` aggregate through the real
command handlers."""

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from aggregates.errors import ClientNotOffboardedError, ClientOffboardedError
from commands.cadence import PlanClientMeetings, ProposedMeeting
from commands.clients import OffboardClient, ReonboardClient
from commands.meetings import CancelMeeting, HoldMeeting
from events.vocabulary import MeetingKind, MeetingStatus
from schedulers.annual_plan import DayShape, plan_meetings
from tests.unit.scenario import Scenario

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
STRATEGY = MeetingKind.STRATEGY_MEETING


def planned_client(scenario: Scenario, year: int = 2027) -> UUID:
    """A client with a quarterly plan for ``year`` (mid-February, May, August, November)."""
    client_id = scenario.client()
    scenario.bus.handle(PlanClientMeetings(
        client_id=client_id, year=year, period_start=date(year, 1, 1),
        meetings=[ProposedMeeting(kind=STRATEGY, scheduled_for=m.scheduled_for)
                  for m in plan_meetings(year, 4, STRATEGY, DayShape())],
        meetings_per_year=4, touches_per_month=1, cadence_source="rule:standard"),
        scenario.scheduler, NOW)
    return client_id


def offboard(scenario: Scenario, client_id: UUID, effective_on: date = date(2027, 6, 1)) -> None:
    scenario.bus.handle(OffboardClient(client_id=client_id, effective_on=effective_on,
                                       reason="contract not renewed"), scenario.vcio, NOW)


def statuses(scenario: Scenario, client_id: UUID) -> list[tuple[int, MeetingStatus]]:
    client = scenario.ledger.load_client(scenario.vcio, client_id)
    return sorted((m.scheduled_for.month, m.status) for m in client.meetings.values())


def test_offboarding_cancels_the_meetings_planned_from_its_effective_day_in_the_same_save(
    scenario: Scenario,
) -> None:
    client_id = planned_client(scenario)

    offboard(scenario, client_id, effective_on=date(2027, 6, 1))

    assert statuses(scenario, client_id) == [
        (2, MeetingStatus.PLANNED), (5, MeetingStatus.PLANNED),
        (8, MeetingStatus.CANCELLED), (11, MeetingStatus.CANCELLED)]


def test_offboarding_leaves_a_held_meeting_held(scenario: Scenario) -> None:
    client_id = planned_client(scenario)
    client = scenario.ledger.load_client(scenario.vcio, client_id)
    august = next(m for m in client.meetings.values() if m.scheduled_for.month == 8)
    scenario.bus.handle(HoldMeeting(client_id=client_id, meeting_id=august.meeting_id,
                                    held_at=august.scheduled_for, summary="early"), scenario.vcio)

    offboard(scenario, client_id, effective_on=date(2027, 6, 1))

    assert (8, MeetingStatus.HELD) in statuses(scenario, client_id)


def test_an_offboarded_client_cannot_be_offboarded_again(scenario: Scenario) -> None:
    client_id = scenario.client()
    offboard(scenario, client_id)

    with pytest.raises(ClientOffboardedError):
        offboard(scenario, client_id)


def test_an_offboarded_client_takes_no_new_meeting_plan(scenario: Scenario) -> None:
    client_id = scenario.client()
    offboard(scenario, client_id)

    with pytest.raises(ClientOffboardedError):
        scenario.bus.handle(PlanClientMeetings(
            client_id=client_id, year=2027, period_start=date(2027, 1, 1), meetings=[],
            meetings_per_year=4, touches_per_month=1, cadence_source="rule:standard"),
            scenario.scheduler, NOW)


def test_re_onboarding_makes_the_client_active_again(scenario: Scenario) -> None:
    client_id = scenario.client()
    offboard(scenario, client_id)

    scenario.bus.handle(ReonboardClient(client_id=client_id, reason="came back"), scenario.vcio, NOW)

    assert scenario.ledger.load_client(scenario.vcio, client_id).offboarded_on is None


def test_an_active_client_cannot_be_re_onboarded(scenario: Scenario) -> None:
    client_id = scenario.client()

    with pytest.raises(ClientNotOffboardedError):
        scenario.bus.handle(ReonboardClient(client_id=client_id), scenario.vcio, NOW)


def test_an_offboarding_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        OffboardClient(client_id=UUID(int=1), effective_on=date(2027, 6, 1), reason="  ")


def test_re_onboarding_plans_again_the_meetings_its_offboarding_cancelled(scenario: Scenario) -> None:
    client_id = planned_client(scenario)
    offboard(scenario, client_id, effective_on=date(2027, 6, 1))

    scenario.bus.handle(ReonboardClient(client_id=client_id, reason="came back"), scenario.vcio, NOW)

    assert statuses(scenario, client_id) == [
        (2, MeetingStatus.PLANNED), (5, MeetingStatus.PLANNED),
        (8, MeetingStatus.PLANNED), (11, MeetingStatus.PLANNED)]


def test_re_onboarding_leaves_cancelled_the_meetings_whose_day_has_passed(scenario: Scenario) -> None:
    client_id = planned_client(scenario)
    offboard(scenario, client_id, effective_on=date(2027, 6, 1))

    scenario.bus.handle(ReonboardClient(client_id=client_id, reason="came back"), scenario.vcio,
                        datetime(2027, 9, 1, tzinfo=UTC))

    assert statuses(scenario, client_id) == [
        (2, MeetingStatus.PLANNED), (5, MeetingStatus.PLANNED),
        (8, MeetingStatus.CANCELLED), (11, MeetingStatus.PLANNED)]


def test_re_onboarding_does_not_restore_a_meeting_the_vcio_cancelled_before_the_offboarding(
        scenario: Scenario) -> None:
    client_id = planned_client(scenario)
    client = scenario.ledger.load_client(scenario.vcio, client_id)
    august = next(m for m in client.meetings.values() if m.scheduled_for.month == 8)
    scenario.bus.handle(CancelMeeting(client_id=client_id, meeting_id=august.meeting_id,
                                      reason="client asked"), scenario.vcio)
    offboard(scenario, client_id, effective_on=date(2027, 6, 1))

    scenario.bus.handle(ReonboardClient(client_id=client_id, reason="came back"), scenario.vcio, NOW)

    assert statuses(scenario, client_id) == [
        (2, MeetingStatus.PLANNED), (5, MeetingStatus.PLANNED),
        (8, MeetingStatus.CANCELLED), (11, MeetingStatus.PLANNED)]
