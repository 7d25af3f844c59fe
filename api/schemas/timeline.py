"""Audit timeline bodies: who changed what about a client or a standard, when, and why."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class TimelineEntryPublic(BaseModel):
    """One recorded change. ``before``/``after`` hold the bare value for answers and ratings,
    and ``field: value; ...`` for profile changes and standard revisions."""

    model_config = ConfigDict(from_attributes=True)

    position: int
    occurred_at: datetime
    aggregate_kind: str
    client_id: UUID | None
    actor: str
    kind: str
    summary: str
    standard_id: UUID | None
    standard_key: str | None
    category: str | None
    review_id: UUID | None
    decision_maker_id: UUID | None
    standard_revision: int | None
    before: str | None
    after: str | None
    reason: str | None


class TimelinePublic(BaseModel):
    """Entries newest first."""

    data: list[TimelineEntryPublic]
    count: int
