"""Suggestions to the committee: what a sender writes, the committee's decisions, the inbox."""

from uuid import UUID

from pydantic import BaseModel

from api.schemas.common import CommandBody, Recorded, ViewModel
from commands.suggestions import AcceptSuggestion, DeclineSuggestion, SuggestStandard
from projections.suggestion_inbox import ChangeSetSummary, Suggestion


class SuggestionCreate(CommandBody, command=SuggestStandard):
    """A new standard or a change to one, with the client finding that prompted it (optional)."""


class SuggestionCreated(Recorded):
    suggestion_id: UUID


class SuggestionAccept(CommandBody, command=AcceptSuggestion, path=("suggestion_id",)):
    """The open change set and its proposal that take the suggestion up."""


class SuggestionDecline(CommandBody, command=DeclineSuggestion, path=("suggestion_id",)):
    """Why the committee declines it (the sender sees the reason)."""


class SuggestionPublic(ViewModel, view=Suggestion):
    """A suggestion, who sent it and why, and the committee's decision once made."""


class SuggestionsPublic(BaseModel):
    """A paging envelope, not a view: ``next`` (when the page is full) is the ``after`` of the
    next page; ``total`` counts every page."""

    data: list[SuggestionPublic]
    count: int
    next: str | None = None
    total: int


class ChangeSetSummaryPublic(ViewModel, view=ChangeSetSummary):
    """A change set in the committee's list, with its number of proposals."""


class ChangeSetsPublic(BaseModel):
    """A paging envelope, not a view."""

    data: list[ChangeSetSummaryPublic]
    count: int
