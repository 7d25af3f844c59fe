"""What the rating page offers: findings to turn into recommendations and the client's
recommendations (the decision makers who may approve them come from their own read model).

A recommendation's findings must be misaligned answers of the client's latest submitted or
finalised review, so while a review is still being answered the findings are the previous answers
that were misaligned.
"""

from dataclasses import dataclass
from uuid import UUID

from projections.client_alignment import PRIORITY_RANK, ClientAlignment
from projections.roadmap import Roadmap, RoadmapItem


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
