"""The plan as iCalendar (.ics) feeds: per client, per vCIO, and the standards committee's.

Client and vCIO feeds read the ``meeting_calendar`` read model, so a meeting moved or cancelled
after planning shows as it is now (a cancelled meeting stays in the feed as ``CANCELLED`` and a
moved one bumps its ``SEQUENCE``, which is how calendar clients learn of changes). The
committee's feed reads its plan from ``client_directory``. Each meeting's ``UID`` is its id, so
a subscribed calendar updates in place rather than duplicating.

RFC 5545 (section 3.6) wants at least one component in a calendar, so a feed with no meeting
(yet) carries a ``VTIMEZONE`` for UTC, the zone every ``DTSTART`` here is written in: a
subscribed calendar shows nothing and stays subscribed (a 204 would look like a broken feed).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from projections.catalog import ProjectionReader
from projections.client_directory import ClientDirectoryView
from projections.fiscal import Period
from projections.meeting_calendar import CalendarMeeting, MeetingCalendarView

PRODUCT_ID = "-//vCIO Ledger//Annual plan//EN"
UID_DOMAIN = "vcio-ledger"
MEETING_LENGTH = timedelta(hours=1)
KIND_LABELS = {
    "strategy_meeting": "Strategy meeting",
    "technology_business_review": "Technology business review",
    "standards_committee": "Standards committee",
    "other": "Meeting",
}


@dataclass(frozen=True)
class FeedEntry:
    uid: str
    start: datetime
    summary: str
    description: str = ""
    status: str = "CONFIRMED"
    sequence: int = 0
    length: timedelta = MEETING_LENGTH


def feed(name: str, entries: Iterable[FeedEntry], stamp: datetime) -> bytes:
    """An RFC 5545 calendar of ``entries``; ``stamp`` is when the feed was made."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.start + entry.length)
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        event.add("status", entry.status)
        event.add("sequence", entry.sequence)
        calendar.add_component(event)
    if not calendar.subcomponents:
        calendar.add_component(utc_zone())
    return calendar.to_ical()  # type: ignore[no-any-return]


def utc_zone() -> Timezone:
    """UTC as a ``VTIMEZONE``: one standard time, offset zero, since 1970."""
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone = Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone


def meeting_entry(meeting: CalendarMeeting) -> FeedEntry:
    label = KIND_LABELS.get(meeting.kind, meeting.kind)
    lines = [f"vCIO: {meeting.vcio}", *(f"- {item}" for item in meeting.agenda)]
    return FeedEntry(
        uid=f"{meeting.meeting_id}@{UID_DOMAIN}", start=meeting.scheduled_for,
        summary=f"{label}: {meeting.client_name}", description="\n".join(lines),
        status="CANCELLED" if meeting.status == "cancelled" else "CONFIRMED",
        sequence=meeting.times_rescheduled)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def client_feed(reader: ProjectionReader, tenant: str, client_id: UUID, year: int,
                now: datetime) -> bytes:
    calendar = MeetingCalendarView(reader).calendar(tenant, year_period(year), now.date(),
                                                    client_id=client_id)
    name = calendar.meetings[0].client_name if calendar.meetings else str(client_id)
    return feed(f"{name}: meetings {year}", map(meeting_entry, calendar.meetings), now)


def vcio_feed(reader: ProjectionReader, tenant: str, vcio: str, year: int, now: datetime) -> bytes:
    calendar = MeetingCalendarView(reader).calendar(tenant, year_period(year), now.date(),
                                                    vcio=vcio)
    return feed(f"{vcio}: client meetings {year}", map(meeting_entry, calendar.meetings), now)


def committee_feed(reader: ProjectionReader, tenant: str, year: int, now: datetime) -> bytes:
    entries: list[FeedEntry] = []
    for plan in ClientDirectoryView(reader).plans(tenant, year, subject="committee"):
        entries.extend(FeedEntry(uid=f"{m.meeting_id}@{UID_DOMAIN}", start=m.scheduled_for,
                                 summary=KIND_LABELS["standards_committee"])
                       for m in plan.meetings)
        if plan.library_review_at is not None:
            entries.append(FeedEntry(
                uid=f"library-review-{plan.subject_id}-{year}@{UID_DOMAIN}",
                start=plan.library_review_at, summary="Standards library: yearly full review",
                length=timedelta(hours=3)))
    return feed(f"Standards committee {year}", entries, now)
