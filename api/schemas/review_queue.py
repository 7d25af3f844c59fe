"""Review work lists: reviews waiting for someone, and reviews due before a strategy meeting.

Each is its view as it is (``ViewModel``); the envelopes are hand-written (``{data, count, next,
total}``, ``api/paging.py``).
"""

from pydantic import BaseModel

from api.schemas.common import ViewModel
from projections.review_stages import ReviewUnderWay
from projections.reviews_due import ReviewDue


class ReviewUnderWayPublic(ViewModel, view=ReviewUnderWay, properties=("waiting_for",)):
    """A review not finalised yet: its stage, its counts, and whose turn it is (``waiting_for``:
    to_answer is the TAM's; to_rate and to_finalise are the vCIO's)."""


class ReviewsUnderWayPublic(BaseModel):
    """Oldest first (by start, then id). A paging envelope, not a view: ``next`` (when the page
    is full) is the ``after`` of the next page; ``total`` counts every page, null when the list
    is filtered by ``waiting_for``."""

    data: list[ReviewUnderWayPublic]
    count: int
    next: str | None = None
    total: int | None


class ReviewDuePublic(ViewModel, view=ReviewDue):
    """A client with standards due by its next strategy meeting, and the day to review by
    (the meeting less the lead time)."""


class ReviewsDuePublic(BaseModel):
    """Soonest ``review_by`` first, then by client name and id. A paging envelope, not a view:
    ``next`` (when the page is full) is the ``after`` of the next page; ``total`` counts every
    page."""

    data: list[ReviewDuePublic]
    count: int
    next: str | None = None
    total: int
