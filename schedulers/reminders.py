"""The scheduler's notices: a client's review area falling due or overdue, an open action item
whose follow-up date passed. Each is given once: an event on the client, under an idempotency
key naming its subject and due date, and refused by the client if given already. Dashboards
show them from the ``client_directory`` read model.
"""

from datetime import datetime, timedelta

from aggregates.client import action_item_notice_key, review_area_notice_key
from commands.base import Command
from commands.cadence import NoticeOverdueActionItem, NoticeReviewArea
from commands.results import Actor
from projections.client_directory import ClientDirectoryView
from projections.meeting_calendar import MeetingCalendarView
from schedulers.jobs import ALREADY_DONE, LedgerServices, scheduler_actor

REVIEW_LEAD_DAYS = 14


def give_review_reminders(services: LedgerServices, now: datetime, tenant: str | None = None,
                          lead_days: int = REVIEW_LEAD_DAYS) -> int:
    """Say once per due date that a client's review area falls due within ``lead_days``, and
    once that it is overdue. Returns how many notices were given."""
    directory = ClientDirectoryView(services.reader)
    today, given = now.date(), 0
    for each in [tenant] if tenant is not None else directory.tenants():
        actor = scheduler_actor(each)
        for area in directory.review_areas(each):
            due_on = area.due_at.date() if area.due_at else None
            overdue = due_on is None or due_on < today
            if not overdue and due_on is not None and due_on > today + timedelta(days=lead_days):
                continue
            client = services.ledger.load_client(actor, area.client_id)
            if review_area_notice_key(area.category, due_on, overdue) in client.notices_given:
                continue
            command = NoticeReviewArea(
                client_id=area.client_id, category=area.category,
                frequency_months=area.frequency_months,
                last_reviewed_on=area.last_reviewed_at.date() if area.last_reviewed_at else None,
                due_on=due_on, overdue=overdue)
            key = f"review-{'overdue' if overdue else 'due'}:{area.client_id}:{area.category}:{due_on}"
            given += give_notice(services, command, actor, now, key)
    return given


def give_overdue_action_item_notices(services: LedgerServices, now: datetime,
                                     tenant: str | None = None) -> int:
    """Say once per follow-up date that an open action item's follow-up date has passed."""
    directory = ClientDirectoryView(services.reader)
    calendar = MeetingCalendarView(services.reader)
    today, given = now.date(), 0
    for each in [tenant] if tenant is not None else directory.tenants():
        actor = scheduler_actor(each)
        for item in calendar.action_items(each, today):
            if not item.overdue:
                continue
            client = services.ledger.load_client(actor, item.client_id)
            state = client.action_items.get(item.action_item_id)
            if (state is None or state.completed_at is not None or state.follow_up_on >= today
                    or action_item_notice_key(state.action_item_id, state.follow_up_on)
                    in client.notices_given):
                continue
            command = NoticeOverdueActionItem(client_id=item.client_id,
                                              action_item_id=item.action_item_id)
            key = f"action-item-overdue:{item.action_item_id}:{state.follow_up_on}"
            given += give_notice(services, command, actor, now, key)
    return given


def give_notice(services: LedgerServices, command: Command, actor: Actor, now: datetime,
                key: str) -> int:
    """1 when this call recorded the notice, 0 when another run already had."""
    try:
        result = services.bus.handle(command, actor, now, key)
    except ALREADY_DONE:
        return 0
    return 0 if result.replayed else 1
