"""The base every ledger event shares: the tenant (the MSP) that owns the fact."""

from eventsourcing.domain import Aggregate


class TenantEvent(Aggregate.Event):
    """An event that changes an existing aggregate; the tenant is stamped by the aggregate."""

    tenant: str


class TenantCreated(Aggregate.Created):
    """The first event of an aggregate; it names the tenant that owns the aggregate for life."""

    tenant: str
