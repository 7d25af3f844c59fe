"""Scorecard bodies: where a client stands now, the latest finalised answer per standard in
force (the rolling scorecard), each with its age and due date.

Each is the view as it is (``ViewModel``), plus the figures the view derives (``properties``).
Scores and coverage are exact to two decimals, sent as decimal strings (``"46.43"``).
"""

from api.schemas.alignment import CategoryScorePublic  # noqa: F401  the nested category model
from api.schemas.common import ViewModel
from projections.scorecard import Scorecard, ScorecardItem


class ScorecardItemPublic(ViewModel, view=ScorecardItem, properties=("status",)):
    """One standard in force and its latest finalised answer (null: never answered), with the
    review that gave it, its age in days, the date it falls due by the standard's own frequency,
    and ``is_due`` (stale, or never answered)."""


class ScorecardPublic(ViewModel, view=Scorecard, properties=("misaligned", "due_categories")):
    """The client's current alignment across finalised reviews: score, coverage, fresh coverage
    (answers not past their due date), per category, the misaligned list (most important first)
    and the categories due."""
