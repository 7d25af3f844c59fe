"""What the web dashboard needs of the wired services; the composition root (``runtime``)
passes the real ones. Pages send commands through the bus and read views, nothing else."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from projections.audit_timeline import AuditTimelineView
from projections.catalog import ProjectionReader
from projections.client_alignment import ClientAlignmentView
from projections.meeting_calendar import MeetingCalendarView
from projections.qbr_pack import QbrPackView
from projections.roadmap import RoadmapView
from projections.runner import ProjectionStatus
from projections.score_history import ScoreHistoryView
from projections.standards_library import StandardsLibraryView
from projections.touch_cadence import TouchCadenceView
from projections.vcio_dashboard import VcioDashboardView


class SessionTokens(Protocol):
    def authenticate(self, token: str) -> Actor | None: ...


class ProjectorStatus(Protocol):
    def status(self) -> ProjectionStatus: ...


class WebServices(Protocol):
    @property
    def ledger(self) -> Ledger: ...
    @property
    def bus(self) -> CommandBus: ...
    @property
    def reader(self) -> ProjectionReader: ...
    @property
    def tokens(self) -> SessionTokens: ...
    @property
    def projectors(self) -> Mapping[str, ProjectorStatus]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    def wait_for(self, position: int, names: list[str] | None = None,
                 timeout: float | None = None) -> None: ...
    @property
    def alignment(self) -> ClientAlignmentView: ...
    @property
    def history(self) -> ScoreHistoryView: ...
    @property
    def library(self) -> StandardsLibraryView: ...
    @property
    def audit(self) -> AuditTimelineView: ...
    @property
    def roadmap(self) -> RoadmapView: ...
    @property
    def meeting_calendar(self) -> MeetingCalendarView: ...
    @property
    def touch_cadence(self) -> TouchCadenceView: ...
    @property
    def vcio_dashboard(self) -> VcioDashboardView: ...
    @property
    def qbr_pack(self) -> QbrPackView: ...
