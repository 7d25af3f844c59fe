"""What every command carries besides its own fields, and what it answers."""

import hashlib
import json
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel

COMMAND_LOG_KWARG = "command_log_entry"
# The (id, version) of each aggregate a command read but did not save: its save fails on the
# events' unique key if any of them has moved on (runtime.group_writer).
READ_VERSIONS_KWARG = "read_versions"


@dataclass(frozen=True)
class Actor:
    """Who issues a command: their tenant, name and role (from the bearer token)."""

    tenant: str
    name: str
    role: str


@dataclass(frozen=True)
class CommandResult:
    """The aggregate a command touched, its new version, and the log position of its events."""

    aggregate_id: UUID
    version: int
    position: int | None
    created_id: UUID | None = None
    replayed: bool = False

    def to_json(self) -> str:
        return json.dumps({"aggregate_id": str(self.aggregate_id), "version": self.version,
                           "position": self.position,
                           "created_id": str(self.created_id) if self.created_id else None})

    @classmethod
    def from_json(cls, text: str) -> "CommandResult":
        data = json.loads(text)
        created = UUID(data["created_id"]) if data.get("created_id") else None
        return cls(UUID(data["aggregate_id"]), data["version"], data["position"], created,
                   replayed=True)


@dataclass(frozen=True)
class CommandLogEntry:
    """An idempotency record, written in the same transaction as the command's events."""

    tenant: str
    idempotency_key: str
    command_name: str
    fingerprint: str
    result: CommandResult


class CommandLog(Protocol):
    """Remembers commands sent with an idempotency key (the event store implements it)."""

    def find_command(self, tenant: str, idempotency_key: str) -> CommandLogEntry | None: ...


def fingerprint(command: BaseModel) -> str:
    """A stable digest of a command's content, to spot a key reused for a different command."""
    body = command.model_dump_json(exclude={"expected_version"})
    return hashlib.sha256(f"{type(command).__name__}:{body}".encode()).hexdigest()
