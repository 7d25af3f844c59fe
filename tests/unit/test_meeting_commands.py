"""What each meeting and action-item command records through the bus: the handler's share (the
values passed on, new ids, times defaulting to the call's, the expected version, the idempotency
key); the aggregate's rules are pinned in test_strategy_domain.py."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from aggregates.client import Client
from commands.base import Command
from commands.meetings import (
    AddActionItem,
    CancelMeeting,
    CompleteActionItem,
    HoldMeeting,
    RescheduleMeeting,
    ScheduleMeeting,
    SetMeetingAgenda,
    UpdateActionItem,
)
from events.vocabulary import MeetingKind
from tests.unit.command_checks import recorded, refused_as_stale, replayed_without_recording, version
from tests.unit.scenario import Scenario

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
WHEN = NOW + timedelta(days=20, hours=6)
AT = datetime(2027, 2, 27, 14, 0, tzinfo=UTC)
TBR = MeetingKind.TECHNOLOGY_BUSINESS_REVIEW


def send(scenario: Scenario, command: Command) -> UUID | None:
    return scenario.bus.handle(command, scenario.vcio, NOW).created_id


def scheduled(scenario: Scenario) -> tuple[UUID, UUID]:
    client_id = scenario.client()
    meeting_id = send(scenario, ScheduleMeeting(client_id=client_id, kind=TBR, scheduled_for=WHEN))
    assert meeting_id is not None
    return client_id, meeting_id


def with_item(scenario: Scenario) -> tuple[UUID, UUID]:
    client_id, meeting_id = scheduled(scenario)
    item_id = send(scenario, AddActionItem(client_id=client_id, meeting_id=meeting_id, title="Quote",
                                           owner="vera.vcio", follow_up_on=date(2027, 3, 15)))
    assert item_id is not None
    return client_id, item_id


def test_scheduling_records_the_new_meeting_its_kind_time_attendees_and_author(scenario: Scenario) -> None:
    client_id = scenario.client()

    meeting_id = send(scenario, ScheduleMeeting(client_id=client_id, kind=TBR, scheduled_for=WHEN,
                                                attendees=["vera.vcio", "Dana Owner"]))

    [event] = recorded(scenario, client_id, Client.MeetingScheduled)
    assert (event.meeting_id, event.kind, event.scheduled_for, event.attendees, event.by) == (
        meeting_id, TBR, WHEN, ["vera.vcio", "Dana Owner"], "vera.vcio")


def test_scheduling_under_an_idempotency_key_gives_the_meeting_the_id_derived_from_that_key(
        scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(ScheduleMeeting(client_id=client_id, kind=TBR, scheduled_for=WHEN),
                                 scenario.vcio, NOW, "meet-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "meet-1", "meeting")


def test_an_agenda_records_its_lines_in_order_and_the_author(scenario: Scenario) -> None:
    client_id, meeting_id = scheduled(scenario)

    send(scenario, SetMeetingAgenda(client_id=client_id, meeting_id=meeting_id, agenda=["risks", "budget"]))

    [event] = recorded(scenario, client_id, Client.MeetingAgendaSet)
    assert (event.meeting_id, event.agenda, event.by) == (meeting_id, ["risks", "budget"], "vera.vcio")


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_holding_records_the_time_given_or_of_the_call_the_summary_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id, meeting_id = scheduled(scenario)

    send(scenario, HoldMeeting(client_id=client_id, meeting_id=meeting_id, held_at=given,
                               summary="went well"))

    [event] = recorded(scenario, client_id, Client.MeetingHeld)
    assert (event.meeting_id, event.held_at, event.summary, event.by) == (
        meeting_id, expected, "went well", "vera.vcio")


def test_rescheduling_records_the_new_time_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id, meeting_id = scheduled(scenario)

    send(scenario, RescheduleMeeting(client_id=client_id, meeting_id=meeting_id,
                                     scheduled_for=WHEN + timedelta(days=2), reason="holiday"))

    [event] = recorded(scenario, client_id, Client.MeetingRescheduled)
    assert (event.meeting_id, event.scheduled_for, event.reason, event.by) == (
        meeting_id, WHEN + timedelta(days=2), "holiday", "vera.vcio")


def test_cancelling_records_the_reason_and_the_author(scenario: Scenario) -> None:
    client_id, meeting_id = scheduled(scenario)

    send(scenario, CancelMeeting(client_id=client_id, meeting_id=meeting_id, reason="client asked"))

    [event] = recorded(scenario, client_id, Client.MeetingCancelled)
    assert (event.meeting_id, event.reason, event.by) == (meeting_id, "client asked", "vera.vcio")


def test_an_action_item_records_its_meeting_title_owner_next_step_follow_up_and_author(
        scenario: Scenario) -> None:
    client_id, meeting_id = scheduled(scenario)

    item_id = send(scenario, AddActionItem(client_id=client_id, meeting_id=meeting_id, title="Quote",
                                           owner="tom.tam", next_step="Ask two vendors",
                                           follow_up_on=date(2027, 3, 15)))

    [event] = recorded(scenario, client_id, Client.ActionItemAdded)
    assert (event.action_item_id, event.meeting_id, event.title, event.owner, event.next_step,
            event.follow_up_on, event.by) == (
        item_id, meeting_id, "Quote", "tom.tam", "Ask two vendors", date(2027, 3, 15), "vera.vcio")


def test_adding_an_action_item_under_an_idempotency_key_derives_its_id_from_that_key(
        scenario: Scenario) -> None:
    client_id = scenario.client()

    result = scenario.bus.handle(AddActionItem(client_id=client_id, title="Quote", owner="tom.tam",
                                               follow_up_on=date(2027, 3, 15)), scenario.vcio, NOW, "item-1")

    assert result.created_id == scenario.ledger.new_id(scenario.vcio, "item-1", "action-item")


def test_an_action_item_update_records_the_changes_and_the_author(scenario: Scenario) -> None:
    client_id, item_id = with_item(scenario)

    send(scenario, UpdateActionItem(client_id=client_id, action_item_id=item_id,
                                    changes={"owner": "tom.tam", "follow_up_on": date(2027, 4, 1)}))

    [event] = recorded(scenario, client_id, Client.ActionItemUpdated)
    assert (event.action_item_id, event.changes, event.by) == (
        item_id, {"owner": "tom.tam", "follow_up_on": "2027-04-01"}, "vera.vcio")


@pytest.mark.parametrize(("given", "expected"), [(AT, AT), (None, NOW)])
def test_completing_an_action_item_records_the_resolution_the_time_given_or_of_the_call_and_the_author(
        scenario: Scenario, given: datetime | None, expected: datetime) -> None:
    client_id, item_id = with_item(scenario)

    send(scenario, CompleteActionItem(client_id=client_id, action_item_id=item_id, resolution="ordered",
                                      completed_at=given))

    [event] = recorded(scenario, client_id, Client.ActionItemCompleted)
    assert (event.action_item_id, event.resolution, event.completed_at, event.by) == (
        item_id, "ordered", expected, "vera.vcio")


def commands(scenario: Scenario, stale: bool) -> list[Command]:
    client_id, meeting_id = scheduled(scenario)
    item_id = send(scenario, AddActionItem(client_id=client_id, title="Quote", owner="vera.vcio",
                                           follow_up_on=date(2027, 3, 15)))
    assert item_id is not None
    at = version(scenario, client_id) - 1 if stale else None
    on_meeting = {"client_id": client_id, "meeting_id": meeting_id, "expected_version": at}
    on_item = {"client_id": client_id, "action_item_id": item_id, "expected_version": at}
    return [ScheduleMeeting(client_id=client_id, kind=TBR, scheduled_for=WHEN, expected_version=at),
            SetMeetingAgenda(**on_meeting, agenda=["risks"]),
            HoldMeeting(**on_meeting),
            RescheduleMeeting(**on_meeting, scheduled_for=WHEN + timedelta(days=1)),
            CancelMeeting(**on_meeting),
            AddActionItem(client_id=client_id, title="Call", owner="tom.tam", follow_up_on=date(2027, 3, 9),
                          expected_version=at),
            UpdateActionItem(**on_item, changes={"owner": "tom.tam"}),
            CompleteActionItem(**on_item, resolution="done")]


@pytest.mark.parametrize("position", range(8))
def test_every_meeting_command_with_a_stale_expected_version_is_refused_as_a_conflict(
        scenario: Scenario, position: int) -> None:
    assert refused_as_stale(scenario, commands(scenario, True)[position], NOW).field == "expected_version"


@pytest.mark.parametrize("position", range(8))
def test_every_meeting_command_sent_again_under_its_idempotency_key_records_nothing_more(
        scenario: Scenario, position: int) -> None:
    assert replayed_without_recording(scenario, commands(scenario, False)[position], NOW)
