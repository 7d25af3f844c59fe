"""Demo strategy work for each demo client: recommendations from the latest findings (one
approved by a decision maker), a held strategy meeting with action items, an upcoming
technology business review, and touches over the last quarter.

Like the rest of the demo, every command carries a deterministic idempotency key.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from aggregates.strategy_state import fiscal_quarter_start
from commands import meetings as meeting_commands
from commands import recommendations as recommendation_commands
from commands import touches as touch_commands
from commands.bus import CommandBus
from commands.results import Actor
from events.vocabulary import MeetingKind, Priority, TouchKind

PROPOSALS = (
    ("Close the highest-risk gaps found in the last review", Decimal("4800"), Decimal("0"),
     Decimal("32"), 1, Priority.HIGH, True),
    ("Move backups to an immutable, monitored cloud copy", Decimal("1800"), Decimal("145"),
     Decimal("12"), 2, Priority.MEDIUM, False),
    ("Replace ageing network equipment on a planned schedule", Decimal("6200"), Decimal("0"),
     Decimal("24"), None, Priority.LOW, True),
)


def next_quarter(today: date, fiscal_year_start_month: int, ahead: int) -> date:
    start = fiscal_quarter_start(today, fiscal_year_start_month)
    month_index = start.month - 1 + 3 * ahead
    return date(start.year + month_index // 12, month_index % 12 + 1, 1)


def load_strategy(bus: CommandBus, vcio: Actor, client_id: UUID, code: str,
                  decision_makers: list[UUID], now: datetime) -> None:
    key = f"demo:client:{code}:strategy"
    client = bus.ledger.load_client(vcio, client_id)
    latest = next(client.reviews[r] for r in reversed(client.review_order)
                  if client.reviews[r].is_completed)
    findings = [sid for sid, a in latest.answers.items() if a.is_misaligned]
    recommendation_ids = []
    for number, (title, one_time, monthly, hours, ahead, priority, capex) in enumerate(PROPOSALS):
        chunk = findings[number * 3:number * 3 + 3]
        target = None if ahead is None else next_quarter(now.date(), client.fiscal_year_start_month, ahead)
        result = bus.handle(recommendation_commands.ProposeRecommendation(
                client_id=client_id, title=title, finding_standard_ids=chunk,
                business_impact="Lowers the chance and cost of an outage or breach.",
                one_time_budget=one_time, recurring_monthly_budget=monthly, estimated_hours=hours,
                target_quarter_start=target, priority=priority, owner=vcio.name,
                capital_expense=capex), vcio, idempotency_key=f"{key}:rec:{number}")
        recommendation_ids.append(result.created_id)
    held = bus.ledger.new_id(vcio, f"{key}:meeting:held", "meeting")
    meeting = bus.handle(meeting_commands.ScheduleMeeting(
        client_id=client_id, kind=MeetingKind.STRATEGY_MEETING,
        scheduled_for=now - timedelta(days=40), attendees=[vcio.name]),
        vcio, idempotency_key=f"{key}:meeting:held").created_id or held
    bus.handle(meeting_commands.HoldMeeting(
        client_id=client_id, meeting_id=meeting, held_at=now - timedelta(days=40),
        summary="Walked through the alignment results and the proposed roadmap."),
        vcio, now, f"{key}:meeting:held:hold")
    first = recommendation_ids[0]
    assert first is not None  # proposing always names the recommendation
    bus.handle(recommendation_commands.PresentRecommendation(
            client_id=client_id, recommendation_id=first, meeting_id=meeting),
            vcio, idempotency_key=f"{key}:rec:0:present")
    bus.handle(recommendation_commands.ApproveRecommendation(
            client_id=client_id, recommendation_id=first, decision_maker_id=decision_makers[0],
            approved_at=now - timedelta(days=39)), vcio, now, f"{key}:rec:0:approve")
    for number, (title, follow_up) in enumerate((("Send the firewall renewal quote", -10),
                                                 ("Confirm the backup restore test date", 20))):
        bus.handle(meeting_commands.AddActionItem(
            client_id=client_id, meeting_id=meeting, title=title, owner=vcio.name,
            next_step="Follow up by email", follow_up_on=now.date() + timedelta(days=follow_up)),
            vcio, idempotency_key=f"{key}:action:{number}")
    bus.handle(meeting_commands.ScheduleMeeting(
        client_id=client_id, kind=MeetingKind.TECHNOLOGY_BUSINESS_REVIEW,
        scheduled_for=now + timedelta(days=30), attendees=[vcio.name]),
        vcio, idempotency_key=f"{key}:meeting:tbr")
    for number, days_ago in enumerate((75, 48, 20, 6)):
        bus.handle(touch_commands.LogTouch(
            client_id=client_id, kind=(TouchKind.CALL, TouchKind.EMAIL, TouchKind.VISIT,
                                       TouchKind.WEB_MEETING)[number],
            decision_maker_id=decision_makers[number % len(decision_makers)],
            happened_at=now - timedelta(days=days_ago), note="Checked in on priorities."),
            vcio, now, f"{key}:touch:{number}")
    bus.handle(touch_commands.LogTouch(
        client_id=client_id, kind=TouchKind.EMAIL, contact_role="office manager",
        happened_at=now - timedelta(days=3), note="Asked about a printer quote."),
        vcio, now, f"{key}:touch:office")
