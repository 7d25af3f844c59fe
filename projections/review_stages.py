"""A review's stage, and the reviews under way with whose turn each is (read from the review
tables of ``review_tables``, by the client alignment view).

Stages: ``answering`` (the TAM's), ``submitted`` (the vCIO's), ``finalised``. A review under way
waits for the TAM while answering or while an item is back with the TAM, then for the vCIO to
rate its misaligned answers, then to finalise it.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


def review_stage(submitted_at: datetime | None, completed_at: datetime | None) -> str:
    """answering (the TAM's), submitted (the vCIO's) or finalised."""
    if completed_at is not None:
        return "finalised"
    return "answering" if submitted_at is None else "submitted"


@dataclass(frozen=True)
class ReviewUnderWay:
    """A review that is not finalised: whose turn it is follows from its stage and counts."""

    client_id: UUID
    client_name: str
    vcio: str
    tam: str
    review_id: UUID
    review_number: int
    stage: str
    started_at: datetime
    submitted_at: datetime | None
    answered: int
    sent_back: int
    unrated: int

    @property
    def waiting_for(self) -> str:
        """to_answer (the TAM: answering, or items sent back), to_rate or to_finalise (the vCIO)."""
        if self.stage == "answering" or self.sent_back:
            return "to_answer"
        return "to_rate" if self.unrated else "to_finalise"


UNDER_WAY_SQL = """
SELECT c.client_id, c.name, c.vcio, c.tam, r.review_id, r.seq, r.started_at, r.submitted_at,
       count(a.standard_id),
       count(a.standard_id) FILTER (WHERE a.sent_back IS NOT NULL),
       count(a.standard_id) FILTER (WHERE a.answer <> 'not_applicable'
                                     AND a.answer <> a.expected_answer AND a.rating IS NULL)
FROM reviews r JOIN clients c ON c.client_id = r.client_id
LEFT JOIN answers a ON a.review_id = r.review_id
WHERE r.tenant = %(tenant)s AND r.completed_at IS NULL
GROUP BY c.client_id, c.name, c.vcio, c.tam, r.review_id, r.seq, r.started_at, r.submitted_at
ORDER BY r.started_at, r.review_id
"""
