"""Events of the relationship between meetings: unique touches and the client's feedback.

A touch names the decision maker by id only (their personal data lives sealed in
``DecisionMakerAdded``). A touch with anyone else is still recorded, with only a free-text role
(``contact_role``, e.g. "office manager", never a name) and ``counts_toward_cadence`` False.
"""

from datetime import datetime
from uuid import UUID

from events.base import TenantEvent
from events.vocabulary import TouchKind


class TouchLogged(TenantEvent):
    touch_id: UUID
    kind: TouchKind
    decision_maker_id: UUID | None
    contact_role: str
    counts_toward_cadence: bool
    happened_at: datetime
    note: str
    by: str


class ClientFeedbackRecorded(TenantEvent):
    """``declined_reasons`` maps a recommendation id (as a string) to why the client said no."""

    feedback_id: UUID
    accepted_recommendation_ids: list[UUID]
    declined_reasons: dict[str, str]
    changes_requested: str
    new_initiatives: list[str]
    recorded_at: datetime
    by: str
