"""Standards library bodies: what the committee sends, and the library as readers see it."""

from uuid import UUID

from pydantic import BaseModel

from api.schemas.common import CommandBody, Recorded, ViewModel
from commands.standards import DraftStandard, RetireStandard, ReviseStandard
from projections.standards_library import (
    CategorySummary,
    StandardDetail,
    StandardRevisionRecord,
    StandardSummary,
)


class StandardCreate(CommandBody, command=DraftStandard):
    """A new standard, drafted (or drafted and published at once with ``publish: true``)."""


class StandardChanges(CommandBody, command=DraftStandard, omit=("key", "publish"), partial=True):
    """The fields a revision changes; fields left out keep their current value."""


class StandardRevise(CommandBody, command=ReviseStandard, path=("standard_id",)):
    """The next revision: the fields it changes, and why. ``changes`` is typed here; the
    command takes it as a mapping."""

    changes: StandardChanges


class StandardRetire(CommandBody, command=RetireStandard, path=("standard_id",)):
    """Retire a standard, naming the one that replaces it (if any)."""


class StandardCreated(Recorded):
    standard_id: UUID


class StandardSummaryPublic(ViewModel, view=StandardSummary):
    """A standard in a list: its text in short, status and revision."""


class StandardsPublic(BaseModel):
    """A paging envelope, not a view: ``next`` (when the page is full) is the ``after`` of the
    next page; ``total`` counts every page."""

    data: list[StandardSummaryPublic]
    count: int
    next: str | None = None
    total: int


class StandardRevisionPublic(ViewModel, view=StandardRevisionRecord):
    """One numbered revision: what changed, why, who decided, and the whole text it set."""


class StandardPublic(ViewModel, view=StandardDetail):
    """A standard as it stands now, with its revision history oldest first."""


class CategoryPublic(ViewModel, view=CategorySummary):
    """A category with its counts of published and draft standards."""


class CategoriesPublic(BaseModel):
    """A paging envelope, not a view."""

    data: list[CategoryPublic]
    count: int
