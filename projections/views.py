"""Every read model's view as the edges read them: one Protocol for the API, the dashboard and
the scheduler to type against (the composition root's ``Services`` provides it)."""

from typing import Protocol

from projections.as_of_view import AsOfView
from projections.audit_view import AuditTimelineView
from projections.budget import BudgetView
from projections.catalog import ProjectionReader
from projections.client_alignment import ClientAlignmentView
from projections.client_directory import ClientDirectoryView
from projections.decision_makers import DecisionMakersView
from projections.impact import ImpactView
from projections.meeting_calendar import MeetingCalendarView
from projections.msp_settings import MspSettingsView
from projections.qbr_pack import QbrPackView
from projections.roadmap import RoadmapView
from projections.score_history import ScoreHistoryView
from projections.scorecard import ScorecardView
from projections.standards_library import StandardsLibraryView
from projections.suggestion_inbox import SuggestionInboxView
from projections.touch_cadence import TouchCadenceView
from projections.vcio_dashboard import VcioDashboardView


class ReadModels(Protocol):
    @property
    def reader(self) -> ProjectionReader: ...
    def wait_for(self, position: int, names: list[str] | None = None,
                 timeout: float | None = None) -> None: ...
    @property
    def alignment(self) -> ClientAlignmentView: ...
    @property
    def scorecard(self) -> ScorecardView: ...
    @property
    def as_of(self) -> AsOfView: ...
    @property
    def impact(self) -> ImpactView: ...
    @property
    def client_directory(self) -> ClientDirectoryView: ...
    @property
    def history(self) -> ScoreHistoryView: ...
    @property
    def library(self) -> StandardsLibraryView: ...
    @property
    def audit(self) -> AuditTimelineView: ...
    @property
    def roadmap(self) -> RoadmapView: ...
    @property
    def budget(self) -> BudgetView: ...
    @property
    def meeting_calendar(self) -> MeetingCalendarView: ...
    @property
    def touch_cadence(self) -> TouchCadenceView: ...
    @property
    def vcio_dashboard(self) -> VcioDashboardView: ...
    @property
    def qbr_pack(self) -> QbrPackView: ...
    @property
    def suggestion_inbox(self) -> SuggestionInboxView: ...
    @property
    def msp_settings(self) -> MspSettingsView: ...
    @property
    def decision_makers(self) -> DecisionMakersView: ...
