"""The notices the scheduler gives a client once: areas falling due or overdue, overdue action items."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from aggregates.client import Client
from aggregates.client_cadence import action_item_notice_key, review_area_notice_key
from aggregates.errors import (
    ActionItemAlreadyCompletedError,
    InvalidValueError,
    NoticeAlreadyGivenError,
)
from tests.unit.client_steps import last_event, onboarded, refusal

NOTICED_AT = datetime(2027, 5, 10, 6, tzinfo=UTC)


# --- notices -----------------------------------------------------------------------------------

def test_the_notice_keys_say_what_was_noticed() -> None:
    item_id = UUID("00000000-0000-0000-0000-000000000001")

    assert (review_area_notice_key("email", date(2027, 5, 1), True),
            review_area_notice_key("email", None, False),
            action_item_notice_key(item_id, date(2027, 5, 1))) == (
        "overdue:email:2027-05-01", "due:email:never",
        "action-item-overdue:00000000-0000-0000-0000-000000000001:2027-05-01")


def test_an_area_falling_due_records_every_field_once() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=date(2027, 2, 1),
                              due_on=date(2027, 5, 20), overdue=False, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.category, event.frequency_months, event.last_reviewed_on, event.due_on,
            event.noticed_at, event.by) == (
        Client.ReviewAreaFallingDue, "email", 3, date(2027, 2, 1), date(2027, 5, 20), NOTICED_AT, "sched")
    assert client.notices_given == frozenset({"due:email:2027-05-20"})


def test_an_overdue_area_records_an_overdue_notice() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 9), overdue=True, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.due_on, event.last_reviewed_on) == (
        Client.ReviewAreaOverdue, date(2027, 5, 9), None)
    assert client.notices_given == frozenset({"overdue:email:2027-05-09"})


def test_an_area_never_reviewed_may_be_overdue_without_a_due_date() -> None:
    client = onboarded()

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=None, overdue=True, noticed_at=NOTICED_AT, by="sched")

    assert client.notices_given == frozenset({"overdue:email:never"})


def test_an_area_due_today_is_not_yet_overdue() -> None:
    client = onboarded()

    assert refusal(InvalidValueError, lambda: client.notice_review_area(
        category="email", frequency_months=3, last_reviewed_on=None, due_on=NOTICED_AT.date(),
        overdue=True, noticed_at=NOTICED_AT, by="sched")) == (
        "due_on", "an area is overdue only after its due date")


def test_the_same_area_notice_twice_is_refused_naming_its_key() -> None:
    client = onboarded()
    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 20), overdue=False, noticed_at=NOTICED_AT, by="s")

    assert refusal(NoticeAlreadyGivenError, lambda: client.notice_review_area(
        category="email", frequency_months=3, last_reviewed_on=None, due_on=date(2027, 5, 20),
        overdue=False, noticed_at=NOTICED_AT, by="s")) == ("notice", "already given (due:email:2027-05-20)")


def test_an_overdue_notice_may_follow_the_falling_due_notice_of_the_same_day() -> None:
    client = onboarded()
    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 1), overdue=False, noticed_at=NOTICED_AT, by="s")

    client.notice_review_area(category="email", frequency_months=3, last_reviewed_on=None,
                              due_on=date(2027, 5, 1), overdue=True, noticed_at=NOTICED_AT, by="s")

    assert client.notices_given == frozenset({"due:email:2027-05-01", "overdue:email:2027-05-01"})


def added_item(client: Client, follow_up_on: date) -> UUID:
    item_id = uuid4()
    client.add_action_item(action_item_id=item_id, meeting_id=None, title="t", owner="tom",
                           next_step="n", follow_up_on=follow_up_on, by="vera")
    return item_id


def test_an_action_item_past_its_follow_up_records_an_overdue_notice_once() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))

    client.notice_overdue_action_item(action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")

    event = last_event(client)
    assert (type(event), event.action_item_id, event.follow_up_on, event.noticed_at, event.by) == (
        Client.ActionItemFellOverdue, item_id, date(2027, 5, 9), NOTICED_AT, "sched")
    assert client.notices_given == frozenset({action_item_notice_key(item_id, date(2027, 5, 9))})


def test_an_action_item_due_today_is_not_overdue() -> None:
    client = onboarded()
    item_id = added_item(client, NOTICED_AT.date())

    assert refusal(InvalidValueError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")) == (
        "action_item_id", "the follow-up date 2027-05-10 has not passed")


def test_an_overdue_notice_for_an_action_item_twice_is_refused() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))
    client.notice_overdue_action_item(action_item_id=item_id, noticed_at=NOTICED_AT, by="sched")

    assert refusal(NoticeAlreadyGivenError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched"))[0] == "notice"


def test_an_overdue_notice_for_a_completed_action_item_is_refused() -> None:
    client = onboarded()
    item_id = added_item(client, date(2027, 5, 9))
    client.complete_action_item(action_item_id=item_id, resolution="done", completed_at=NOTICED_AT, by="t")

    assert refusal(ActionItemAlreadyCompletedError, lambda: client.notice_overdue_action_item(
        action_item_id=item_id, noticed_at=NOTICED_AT, by="sched"))[0] == "action_item_id"
