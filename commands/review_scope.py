"""Which published standards a review's categories hold, looked up from the event log.

Starting and submitting a review need the library as it stands (a review that covers no standard
is refused; submitting with unanswered standards needs a confirmation). The command side keeps no
index of the library, so the handler folds the standards' lifecycle events (drafted, published,
revised, retired), read by topic from the log: category and status per standard. Both commands
run once per review, so the scan's cost is paid twice a review, never per answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from aggregates.standard import Standard
from commands.ledger import Ledger

LIFECYCLE_TOPICS = [get_topic(cls) for cls in (
    Standard.StandardDrafted, Standard.StandardPublished, Standard.StandardRevised,
    Standard.StandardRetired)]
PAGE = 1000


@dataclass
class StandardPlace:
    category: str
    status: str


def fold(places: dict[UUID, StandardPlace], event: Any) -> None:
    if isinstance(event, Standard.StandardDrafted):
        places[event.originator_id] = StandardPlace(event.category, "draft")
    elif event.originator_id not in places:
        return
    elif isinstance(event, Standard.StandardPublished):
        places[event.originator_id].status = "published"
    elif isinstance(event, Standard.StandardRetired):
        places[event.originator_id].status = "retired"
    elif isinstance(event, Standard.StandardRevised) and "category" in event.changes:
        places[event.originator_id].category = str(event.changes["category"])


def lifecycle_events(ledger: Ledger) -> Iterable[Any]:
    start = 1
    while True:
        page = ledger.recorder.select_notifications(start, PAGE, topics=LIFECYCLE_TOPICS)
        for notification in page:
            yield ledger.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def published_in_scope(ledger: Ledger, tenant: str, categories: Iterable[str]) -> set[UUID]:
    """The tenant's published standards in ``categories`` (all of them when none are given)."""
    places: dict[UUID, StandardPlace] = {}
    for event in lifecycle_events(ledger):
        if event.tenant == tenant:
            fold(places, event)
    wanted = set(categories)
    return {standard_id for standard_id, place in places.items()
            if place.status == "published" and (not wanted or place.category in wanted)}
