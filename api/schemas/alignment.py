"""Alignment bodies: where a client stands per standard and per category, and its score trend.

Each is the read model's view as it is (``ViewModel``): the fields are the view's.
Scores and coverage are percentages with one decimal, sent as decimal strings (``"87.5"``).
"""

from pydantic import BaseModel

from api.schemas.common import ViewModel
from projections.client_alignment import AlignmentItem, CategoryScore, ClientAlignment
from projections.score_history import ScorePoint


class AlignmentItemPublic(ViewModel, view=AlignmentItem):
    """One standard in scope: the current answer, the previous review's answer, the rating, and
    the latest answer an outside tool suggested (``suggested_*``, never counted as an answer)."""


class CategoryScorePublic(ViewModel, view=CategoryScore):
    """One category's score, coverage and counts."""


class AlignmentPublic(ViewModel, view=ClientAlignment):
    """The client's latest review (open or completed), scored overall and per category."""


class MisalignedPublic(BaseModel):
    """Misaligned items, most important first (priority, then unrated, then the worst rating).
    A paging envelope, not a view."""

    data: list[AlignmentItemPublic]
    count: int


class ScorePointPublic(ViewModel, view=ScorePoint):
    """The score of one completed review, as its report showed it at the time."""


class ScoreHistoryPublic(BaseModel):
    """Points oldest first. A paging envelope, not a view."""

    data: list[ScorePointPublic]
    count: int
