"""What the web dashboard needs of the wired services; the composition root (``runtime``)
passes the real ones. Pages send commands through the bus and read views, nothing else."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from commands.bus import CommandBus
from commands.ledger import Ledger
from commands.results import Actor
from projections.runner import ProjectionStatus
from projections.views import ReadModels


class SessionTokens(Protocol):
    def authenticate(self, token: str) -> Actor | None: ...


class ProjectorStatus(Protocol):
    def status(self) -> ProjectionStatus: ...


class WebServices(ReadModels, Protocol):
    @property
    def ledger(self) -> Ledger: ...
    @property
    def bus(self) -> CommandBus: ...
    @property
    def tokens(self) -> SessionTokens: ...
    @property
    def projectors(self) -> Mapping[str, ProjectorStatus]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
