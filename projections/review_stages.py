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


#: Whose turn a review under way is, in SQL over the columns of :data:`UNDER_WAY_SQL` (the
#: same rule as :attr:`ReviewUnderWay.waiting_for`, which the API's filter tests hold it to).
WAITING_FOR_SQL = ("CASE WHEN r.submitted_at IS NULL OR n.sent_back > 0 THEN 'to_answer'"
                   " WHEN n.unrated > 0 THEN 'to_rate' ELSE 'to_finalise' END")

#: The reviews under way of a tenant, oldest first (started, then id), from the one after
#: ``(started_at, review_id)`` when given, only those waiting for ``waiting`` when given, at
#: most ``limit``. The reviews are picked first, in order, and a review's answers are counted
#: only once it is picked: unfiltered, only the page's reviews (a page costs its rows, not the
#: tenant's reviews under way); filtered by whose turn it is, those up to the last one that
#: fills the page.
UNDER_WAY_SQL = f"""
SELECT r.client_id, r.name, r.vcio, r.tam, r.review_id, r.seq, r.started_at, r.submitted_at,
       n.answered, n.sent_back, n.unrated
FROM (SELECT r.review_id, r.client_id, c.name, c.vcio, c.tam, r.seq, r.started_at, r.submitted_at
      FROM reviews r JOIN clients c ON c.client_id = r.client_id
      WHERE r.tenant = %(tenant)s AND r.completed_at IS NULL
        AND (%(started_at)s::timestamptz IS NULL
             OR (r.started_at, r.review_id) > (%(started_at)s::timestamptz, %(review_id)s::uuid))
      ORDER BY r.started_at, r.review_id
      LIMIT CASE WHEN %(waiting)s::text IS NULL THEN %(limit)s::bigint END) r
CROSS JOIN LATERAL (
    SELECT count(*) AS answered,
           count(*) FILTER (WHERE a.sent_back IS NOT NULL) AS sent_back,
           count(*) FILTER (WHERE a.answer <> 'not_applicable' AND a.answer <> a.expected_answer
                                  AND a.rating IS NULL) AS unrated
    FROM answers a WHERE a.review_id = r.review_id) n
WHERE %(waiting)s::text IS NULL OR {WAITING_FOR_SQL} = %(waiting)s
ORDER BY r.started_at, r.review_id
LIMIT %(limit)s
"""
