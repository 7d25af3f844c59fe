"""The base of every ledger aggregate: it belongs to one tenant and stamps it on each event."""

from typing import Any, Self
from uuid import UUID

from eventsourcing.domain import Aggregate

from events.base import TenantCreated


class TenantAggregate(Aggregate):
    """An aggregate owned by one tenant (MSP); every event it triggers carries that tenant."""

    tenant: str

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        kwargs.setdefault("tenant", self.tenant)
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def create_with_id(cls, aggregate_id: UUID, **kwargs: Any) -> Self:
        """Create the aggregate under a chosen id (deterministic ids make retries idempotent)."""
        created = next(
            value for value in vars(cls).values()
            if isinstance(value, type) and issubclass(value, TenantCreated)
        )
        return cls._create(created, id=aggregate_id, **kwargs)
