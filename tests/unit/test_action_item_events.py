"""What the Client's action-item commands record, and what they refuse."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from aggregates.client import Client
from aggregates.errors import (
    ActionItemAlreadyCompletedError,
    DuplicateIdError,
    MeetingCancelledError,
    NotFoundError,
)
from tests.unit.client_steps import cancelled, held, last_event, onboarded, refusal, scheduled

LATER = datetime(2027, 5, 10, 14, tzinfo=UTC)
FOLLOW_UP = date(2027, 6, 1)


def added(client: Client, meeting_id: UUID | None = None) -> UUID:
    item_id = uuid4()
    client.add_action_item(action_item_id=item_id, meeting_id=meeting_id, title="Renew licences",
                           owner="tom", next_step="Ask for a quote", follow_up_on=FOLLOW_UP, by="vera")
    return item_id


# --- action items ------------------------------------------------------------------------------

def test_adding_an_action_item_records_every_field() -> None:
    client = onboarded()
    meeting_id = scheduled(client)

    item_id = added(client, meeting_id)

    event = last_event(client)
    assert (type(event), event.action_item_id, event.meeting_id, event.title, event.owner,
            event.next_step, event.follow_up_on, event.by) == (
        Client.ActionItemAdded, item_id, meeting_id, "Renew licences", "tom", "Ask for a quote",
        FOLLOW_UP, "vera")


def test_an_added_action_item_is_open_with_its_fields() -> None:
    client = onboarded()

    item_id = added(client)

    item = client.action_item(item_id)
    assert (item.action_item_id, item.meeting_id, item.title, item.owner, item.next_step,
            item.follow_up_on, item.completed_at) == (
        item_id, None, "Renew licences", "tom", "Ask for a quote", FOLLOW_UP, None)


def test_adding_an_action_item_under_an_id_in_use_is_refused() -> None:
    client = onboarded()
    item_id = added(client)

    assert refusal(DuplicateIdError, lambda: client.add_action_item(
        action_item_id=item_id, meeting_id=None, title="t", owner="o", next_step="n",
        follow_up_on=FOLLOW_UP, by="vera")) == ("action_item_id", "an action item with this id exists")


def test_an_action_item_of_a_cancelled_meeting_is_refused() -> None:
    client = onboarded()
    meeting_id = cancelled(client)

    assert refusal(MeetingCancelledError, lambda: added(client, meeting_id)) == (
        "meeting_id", "the meeting was cancelled")


def test_an_action_item_of_an_unknown_meeting_is_refused() -> None:
    client = onboarded()

    assert refusal(NotFoundError, lambda: added(client, uuid4()))[0] == "meeting_id"


def test_an_action_item_of_a_held_meeting_is_accepted() -> None:
    client = onboarded()
    meeting_id = held(client)

    item_id = added(client, meeting_id)

    assert client.action_item(item_id).meeting_id == meeting_id


def test_an_unknown_action_item_is_not_found() -> None:
    client = onboarded()

    assert refusal(NotFoundError, lambda: client.action_item(uuid4())) == (
        "action_item_id", "no such action item for this client")


def test_updating_an_action_item_records_only_what_changes_and_applies_it() -> None:
    client = onboarded()
    item_id = added(client)

    client.update_action_item(action_item_id=item_id, changes={
        "owner": "tom", "next_step": "Sign the quote", "follow_up_on": date(2027, 7, 1)}, by="vera")

    event = last_event(client)
    assert (type(event), event.action_item_id, event.changes, event.by) == (
        Client.ActionItemUpdated, item_id, {"next_step": "Sign the quote", "follow_up_on": "2027-07-01"},
        "vera")
    item = client.action_item(item_id)
    assert (item.next_step, item.follow_up_on) == ("Sign the quote", date(2027, 7, 1))


def test_updating_a_completed_action_item_is_refused() -> None:
    client = onboarded()
    item_id = added(client)
    client.complete_action_item(action_item_id=item_id, resolution="done", completed_at=LATER, by="tom")

    assert refusal(ActionItemAlreadyCompletedError, lambda: client.update_action_item(
        action_item_id=item_id, changes={"owner": "vera"}, by="vera")) == (
        "action_item_id", "the action item is already completed")


def test_completing_an_action_item_records_the_resolution_and_time_and_closes_it() -> None:
    client = onboarded()
    item_id = added(client)

    client.complete_action_item(action_item_id=item_id, resolution="licences renewed",
                                completed_at=LATER, by="tom")

    event = last_event(client)
    assert (type(event), event.action_item_id, event.resolution, event.completed_at, event.by) == (
        Client.ActionItemCompleted, item_id, "licences renewed", LATER, "tom")
    assert client.action_item(item_id).completed_at == LATER


def test_completing_an_action_item_twice_is_refused() -> None:
    client = onboarded()
    item_id = added(client)
    client.complete_action_item(action_item_id=item_id, resolution="done", completed_at=LATER, by="tom")

    assert refusal(ActionItemAlreadyCompletedError, lambda: client.complete_action_item(
        action_item_id=item_id, resolution="again", completed_at=LATER, by="tom"))[0] == "action_item_id"
