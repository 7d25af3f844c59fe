"""Wiring: builds the ledger, the stores, the projections and their views from one ``Database``.

This is the only module that knows how the parts connect; the API, the CLI and the
schedulers receive a ``Services`` and never build anything themselves.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent
from psycopg_pool import ConnectionPool

from commands.bus import CommandBus
from commands.ledger import Ledger
from projections.as_of import AsOfProjection
from projections.as_of_view import AsOfView
from projections.audit_timeline import AuditTimelineProjection
from projections.audit_view import AuditTimelineView
from projections.base import Projection, RawEvent
from projections.budget import BudgetProjection, BudgetView
from projections.catalog import ProjectionReader, ProjectionTimeoutError, ReadModelStuckError
from projections.client_alignment import ClientAlignmentProjection, ClientAlignmentView
from projections.client_directory import ClientDirectoryProjection, ClientDirectoryView
from projections.decision_makers import DecisionMakersProjection, DecisionMakersView
from projections.feed import LogFeed, LogFollower, Supervisor
from projections.health import stuck_read_models
from projections.impact import ImpactView
from projections.meeting_calendar import MeetingCalendarProjection, MeetingCalendarView
from projections.msp_settings import MspSettingsProjection, MspSettingsView
from projections.qbr_pack import QbrPackView
from projections.roadmap import RoadmapProjection, RoadmapView
from projections.runner import BatchProjector
from projections.score_history import ScoreHistoryProjection, ScoreHistoryView
from projections.scorecard import ScorecardView
from projections.standards_library import StandardsLibraryProjection, StandardsLibraryView
from projections.suggestion_inbox import SuggestionInboxProjection, SuggestionInboxView
from projections.touch_cadence import TouchCadenceProjection, TouchCadenceView
from projections.vcio_dashboard import VcioDashboardProjection, VcioDashboardView
from runtime.database import Database
from runtime.event_mapper import FastMapper
from runtime.personal_vault import PostgresVault
from runtime.settings import Settings
from runtime.tokens import TokenStore

STUCK_GRACE = 1.5  # seconds a read model must look stuck before a read gives up on it


def utc_now() -> datetime:
    return datetime.now(UTC)


def all_projections() -> list[Projection]:
    """Every read model of the product, in a stable order."""
    return [StandardsLibraryProjection(), ClientAlignmentProjection(), ScoreHistoryProjection(),
            AuditTimelineProjection(), RoadmapProjection(), BudgetProjection(),
            MeetingCalendarProjection(), TouchCadenceProjection(), VcioDashboardProjection(),
            ClientDirectoryProjection(), AsOfProjection(), SuggestionInboxProjection(),
            MspSettingsProjection(), DecisionMakersProjection()]


@dataclass
class Services:
    settings: Settings
    database: Database
    ledger: Ledger
    bus: CommandBus
    pool: ConnectionPool
    reader: ProjectionReader
    vault: PostgresVault
    tokens: TokenStore
    projectors: dict[str, BatchProjector]
    clock: Callable[[], datetime] = utc_now
    _runner: Supervisor | None = None

    @property
    def alignment(self) -> ClientAlignmentView:
        return ClientAlignmentView(self.reader, self.msp_settings)

    @property
    def scorecard(self) -> ScorecardView:
        return ScorecardView(self.reader, self.msp_settings)

    @property
    def as_of(self) -> AsOfView:
        return AsOfView(self.reader, self.msp_settings)

    @property
    def impact(self) -> ImpactView:
        return ImpactView(self.reader)

    @property
    def client_directory(self) -> ClientDirectoryView:
        return ClientDirectoryView(self.reader)

    @property
    def history(self) -> ScoreHistoryView:
        return ScoreHistoryView(self.reader)

    @property
    def library(self) -> StandardsLibraryView:
        return StandardsLibraryView(self.reader)

    @property
    def audit(self) -> AuditTimelineView:
        return AuditTimelineView(self.reader)

    @property
    def roadmap(self) -> RoadmapView:
        return RoadmapView(self.reader)

    @property
    def budget(self) -> BudgetView:
        return BudgetView(self.reader)

    @property
    def meeting_calendar(self) -> MeetingCalendarView:
        return MeetingCalendarView(self.reader)

    @property
    def touch_cadence(self) -> TouchCadenceView:
        return TouchCadenceView(self.reader, self.msp_settings)

    @property
    def vcio_dashboard(self) -> VcioDashboardView:
        return VcioDashboardView(self.reader, self.msp_settings)

    @property
    def suggestion_inbox(self) -> SuggestionInboxView:
        return SuggestionInboxView(self.reader)

    @property
    def msp_settings(self) -> MspSettingsView:
        return MspSettingsView(self.reader)

    @property
    def decision_makers(self) -> DecisionMakersView:
        return DecisionMakersView(self.reader, self.vault)

    @property
    def qbr_pack(self) -> QbrPackView:
        return QbrPackView(self.scorecard, self.history, self.roadmap, self.meeting_calendar,
                           self.touch_cadence)

    def decode(self, raw: RawEvent) -> Any:
        mapper = self.ledger.mapper
        if isinstance(mapper, FastMapper):  # no StoredEvent built only to be taken apart
            return mapper.domain_event(raw.originator_id, raw.originator_version, raw.topic,
                                       raw.state)
        return mapper.to_domain_event(
            StoredEvent(raw.originator_id, raw.originator_version, raw.topic, raw.state))

    def catch_up(self) -> None:
        """Bring every projection up to the head of the log, in this thread, in one pass."""
        if self.projectors:
            with self.database.connect() as conn:
                LogFeed(list(self.projectors.values())).run_to_head(conn)

    def wait_for(self, position: int, names: list[str] | None = None,
                 timeout: float | None = None) -> None:
        """Block until the named projections (default: all) have applied ``position``;
        raise at once, naming them, when one it waits for is stuck."""
        wanted = names or list(self.projectors)
        deadline = time.monotonic() + (timeout or self.settings.read_wait_timeout_seconds)
        next_check, stuck_since = 0.0, dict[str, float]()
        while True:
            behind = [name for name in wanted if self.reader.position(name) < position]
            if not behind:
                return
            now = time.monotonic()
            if now >= next_check:
                with self.pool.connection() as conn:
                    stuck = set(stuck_read_models(conn, self.events_table, behind, position))
                # A runner that is starting or backing off looks stuck for a moment: only one
                # seen stuck on checks a grace period apart is reported.
                stuck_since = {n: stuck_since.get(n, now) for n in stuck}
                stuck_for_long = [n for n, since in stuck_since.items() if now - since >= STUCK_GRACE]
                if stuck_for_long:
                    raise ReadModelStuckError(sorted(stuck_for_long))
                next_check = now + 0.5
            if time.monotonic() > deadline:
                raise ProjectionTimeoutError(
                    f"read model {', '.join(behind)} has not reached {position}")
            time.sleep(0.01)

    @property
    def events_table(self) -> str:
        return str(self.ledger.recorder.events_table_name)  # type: ignore[attr-defined]

    def log_head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def start_projection_runners(self, debounce: float = 0.02) -> None:
        """Follow the log into every read model in a supervised thread (once; later calls do
        nothing). The runner process does this; ``vcio serve`` starts that process."""
        chosen = [p for p in self.projectors.values() if self.settings.runs_projection(p.name)]
        if self._runner is not None or not chosen:
            return  # the others run in another process (``VCIO_PROJECTIONS``)
        self._runner = Supervisor(LogFollower(chosen, debounce=debounce))
        self._runner.start()

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
        self.pool.close()
        self.ledger.close()


def build_ledger(settings: Settings, database: Database) -> Ledger:
    return Ledger(env=database.eventsourcing_env(settings))


def build_services(settings: Settings, database: Database,
                   projections: list[Projection] | None = None) -> Services:
    with database.schema_lock():  # processes started together create tables one at a time
        return _build_services(settings, database, projections)


def _build_services(settings: Settings, database: Database,
                    projections: list[Projection] | None) -> Services:
    ledger = build_ledger(settings, database)
    pool: ConnectionPool = ConnectionPool(database.conninfo, min_size=1,
                                          max_size=settings.pool_size, open=True,
                                          timeout=settings.database_timeout_seconds)
    vault = PostgresVault(pool)
    events_table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    services = Services(
        settings=settings, database=database, ledger=ledger, bus=CommandBus(ledger, vault, clock=utc_now),
        pool=pool, reader=ProjectionReader(pool), vault=vault, tokens=TokenStore(pool),
        projectors={},
    )
    for projection in projections if projections is not None else all_projections():
        projector = BatchProjector(database.conninfo, projection, services.decode, events_table,
                                   settings.projection_batch_size)
        projector.ensure_created()
        services.projectors[projection.name] = projector
    return services


@contextmanager
def running_services(settings: Settings, database: Database) -> Iterator[Services]:
    services = build_services(settings, database)
    try:
        yield services
    finally:
        services.close()
