"""What the rating page offers: findings to turn into recommendations, the client's
recommendations, and the decision makers who may approve them.

A recommendation's findings must be misaligned answers of the client's latest submitted or
finalised review, so while a review is still being answered the findings are the previous answers
that were misaligned.
Decision makers come from the audit timeline, which holds their ids and titles only (their names
are sealed personal data and never copied to a read model).
"""

from dataclasses import dataclass
from uuid import UUID

from commands.results import Actor
from projections.client_alignment import PRIORITY_RANK, ClientAlignment
from projections.roadmap import Roadmap, RoadmapItem
from web.ports import WebServices

TIMELINE_LIMIT = 5000


@dataclass(frozen=True)
class Finding:
    standard_id: UUID
    key: str
    category: str
    question: str
    priority: str
    answer: str
    rating: str | None
    covered_by: str | None


@dataclass(frozen=True)
class DecisionMaker:
    decision_maker_id: UUID
    title: str


def recommendations(roadmap: Roadmap | None) -> list[RoadmapItem]:
    """Every recommendation of the client, scheduled or not, open ones first."""
    if roadmap is None:
        return []
    items = [*roadmap.earlier, *(i for q in roadmap.quarters for i in q.items), *roadmap.later,
             *roadmap.unscheduled]
    done = ("completed", "declined")
    return sorted(items, key=lambda i: (i.status in done, PRIORITY_RANK[i.priority], i.title))


def findings(alignment: ClientAlignment, items: list[RoadmapItem]) -> list[Finding]:
    covered = {f.standard_id: item.title for item in items if item.status != "declined"
               for f in item.findings}
    found = []
    for item in alignment.items:
        if alignment.review_status == "answering":
            answer, rating = item.previous_answer, None
        else:
            answer, rating = item.answer, item.rating
        if answer is None or answer in ("not_applicable", item.expected_answer):
            continue
        found.append(Finding(item.standard_id, item.key, item.category, item.question, item.priority,
                             answer, rating, covered.get(item.standard_id)))
    return sorted(found, key=lambda f: (f.covered_by is not None, PRIORITY_RANK[f.priority], f.key))


def decision_makers(services: WebServices, actor: Actor, client_id: UUID) -> list[DecisionMaker]:
    current: dict[UUID, str] = {}
    for entry in reversed(services.audit.timeline(actor.tenant, client_id, limit=TIMELINE_LIMIT)):
        if entry.decision_maker_id is None:
            continue
        if entry.kind == "decision_maker_added":
            current[entry.decision_maker_id] = entry.after or "Decision maker"
        elif entry.kind == "decision_maker_removed":
            current.pop(entry.decision_maker_id, None)
    return [DecisionMaker(person, title) for person, title in current.items()]
