"""Audit timeline bodies: who changed what about a client or a standard, when, and why."""

from pydantic import BaseModel

from api.schemas.common import ViewModel
from projections.audit_entries import TimelineEntry


class TimelineEntryPublic(ViewModel, view=TimelineEntry):
    """One recorded change. ``before``/``after`` hold the bare value for answers and ratings,
    and ``field: value; ...`` for profile changes and standard revisions."""


class TimelinePublic(BaseModel):
    """Entries newest first. A paging envelope, not a view: ``next`` (when the page is full) is
    the ``before`` of the next page."""

    data: list[TimelineEntryPublic]
    count: int
    next: int | None = None
