"""Tables of meetings, action items and unique touches, kept by the read models that count them.

Like the other shared table helpers, each read model keeps its own copy in its own schema. A
meeting's ``status`` is planned, held or cancelled (a rescheduled meeting is still planned);
``times_rescheduled`` and ``first_scheduled_for`` keep the history a calendar shows. Touch notes
are not copied: the read models count touches and never need what was said.
"""

from datetime import date
from typing import Any

from eventsourcing.utils import get_topic
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from aggregates.client import Client

MEETING_TOPICS = tuple(get_topic(cls) for cls in (
    Client.MeetingScheduled, Client.MeetingAgendaSet, Client.MeetingHeld,
    Client.MeetingRescheduled, Client.MeetingCancelled, Client.MeetingRestored, Client.ActionItemAdded,
    Client.ActionItemUpdated, Client.ActionItemCompleted))

TOUCH_TOPICS = (get_topic(Client.TouchLogged),)

ACTION_ITEM_FIELDS = ("title", "owner", "next_step", "follow_up_on")


def create_meeting_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE meetings (
            meeting_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            kind text NOT NULL, status text NOT NULL, scheduled_for timestamptz NOT NULL,
            first_scheduled_for timestamptz NOT NULL, planned_at timestamptz NOT NULL,
            attendees text[] NOT NULL, agenda text[] NOT NULL DEFAULT '{}',
            held_at timestamptz, summary text, times_rescheduled int NOT NULL DEFAULT 0,
            reschedule_reason text, cancelled_at timestamptz, cancel_reason text)""")
    cur.execute("CREATE INDEX ON meetings (tenant, client_id, scheduled_for)")
    cur.execute("""
        CREATE TABLE action_items (
            action_item_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            meeting_id uuid, title text NOT NULL, owner text NOT NULL, next_step text NOT NULL,
            follow_up_on date NOT NULL, added_at timestamptz NOT NULL,
            completed_at timestamptz, resolution text)""")
    cur.execute("CREATE INDEX ON action_items (tenant, client_id, follow_up_on)")


def apply_meeting_event(cur: Cursor[Any], event: Any) -> bool:
    """Apply a meeting or action-item event; False when the event is neither."""
    if isinstance(event, Client.MeetingScheduled):
        cur.execute(
            "INSERT INTO meetings (meeting_id, client_id, tenant, kind, status, scheduled_for,"
            " first_scheduled_for, planned_at, attendees) VALUES (%s, %s, %s, %s, 'planned', %s,"
            " %s, %s, %s)",
            (event.meeting_id, event.originator_id, event.tenant, event.kind.value,
             event.scheduled_for, event.scheduled_for, event.timestamp, list(event.attendees)))
        return True
    if isinstance(event, Client.MeetingAgendaSet):
        cur.execute("UPDATE meetings SET agenda = %s WHERE meeting_id = %s",
                    (list(event.agenda), event.meeting_id))
        return True
    if isinstance(event, Client.MeetingHeld):
        cur.execute("UPDATE meetings SET status = 'held', held_at = %s, summary = %s"
                    " WHERE meeting_id = %s", (event.held_at, event.summary, event.meeting_id))
        return True
    if isinstance(event, Client.MeetingRescheduled):
        cur.execute("UPDATE meetings SET scheduled_for = %s, reschedule_reason = %s,"
                    " times_rescheduled = times_rescheduled + 1 WHERE meeting_id = %s",
                    (event.scheduled_for, event.reason, event.meeting_id))
        return True
    if isinstance(event, Client.MeetingCancelled):
        cur.execute("UPDATE meetings SET status = 'cancelled', cancelled_at = %s,"
                    " cancel_reason = %s WHERE meeting_id = %s",
                    (event.timestamp, event.reason, event.meeting_id))
        return True
    if isinstance(event, Client.MeetingRestored):
        cur.execute("UPDATE meetings SET status = 'planned', cancelled_at = NULL, cancel_reason = NULL"
                    " WHERE meeting_id = %s", (event.meeting_id,))
        return True
    return apply_action_item_event(cur, event)


def apply_action_item_event(cur: Cursor[Any], event: Any) -> bool:
    if isinstance(event, Client.ActionItemAdded):
        cur.execute(
            "INSERT INTO action_items (action_item_id, client_id, tenant, meeting_id, title, owner,"
            " next_step, follow_up_on, added_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (event.action_item_id, event.originator_id, event.tenant, event.meeting_id, event.title,
             event.owner, event.next_step, event.follow_up_on, event.timestamp))
        return True
    if isinstance(event, Client.ActionItemUpdated):
        for field in ACTION_ITEM_FIELDS:
            if field in event.changes:
                value = event.changes[field]
                if field == "follow_up_on":
                    value = date.fromisoformat(str(value))
                cur.execute(SQL("UPDATE action_items SET {} = %s WHERE action_item_id = %s").format(
                    Identifier(field)), (value, event.action_item_id))
        return True
    if isinstance(event, Client.ActionItemCompleted):
        cur.execute("UPDATE action_items SET completed_at = %s, resolution = %s"
                    " WHERE action_item_id = %s",
                    (event.completed_at, event.resolution, event.action_item_id))
        return True
    return False


def create_touch_tables(cur: Cursor[Any]) -> None:
    cur.execute("""
        CREATE TABLE touches (
            touch_id uuid PRIMARY KEY, client_id uuid NOT NULL, tenant text NOT NULL,
            kind text NOT NULL, decision_maker_id uuid, counts_toward_cadence bool NOT NULL,
            happened_at timestamptz NOT NULL, logged_by text NOT NULL)""")
    cur.execute("CREATE INDEX ON touches (tenant, client_id, happened_at)")


def apply_touch_event(cur: Cursor[Any], event: Any) -> bool:
    if isinstance(event, Client.TouchLogged):
        cur.execute(
            "INSERT INTO touches (touch_id, client_id, tenant, kind, decision_maker_id,"
            " counts_toward_cadence, happened_at, logged_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (event.touch_id, event.originator_id, event.tenant, event.kind.value,
             event.decision_maker_id, event.counts_toward_cadence, event.happened_at, event.by))
        return True
    return False
