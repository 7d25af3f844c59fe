"""Events of a suggestion to the standards committee: anyone who works with clients (a vCIO, a
TAM, the committee itself) proposes a new standard or a change to one, often prompted by what
they found at a client; the committee takes it into a change set or declines it with a reason.

The standard's key and the client's name are recorded as they were when the suggestion was
made, so the inbox reads without looking anything up.
"""

from uuid import UUID

from events.base import TenantCreated, TenantEvent
from events.vocabulary import SuggestionKind


class StandardSuggested(TenantCreated):
    """``standard_id``: the standard to change (a change), or the one whose finding prompted a
    new standard; ``client_id``: the client where it was found. Both may be absent."""

    kind: SuggestionKind
    text: str
    standard_id: UUID | None
    standard_key: str | None
    client_id: UUID | None
    client_name: str | None
    by: str
    by_role: str


class SuggestionAccepted(TenantEvent):
    """The committee took the suggestion into a change set as the proposal ``item_id``."""

    change_set_id: UUID
    item_id: UUID
    by: str


class SuggestionDeclined(TenantEvent):
    reason: str
    by: str
