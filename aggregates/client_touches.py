"""The ``Client`` aggregate's touches (contacts that count toward cadence) and client feedback.

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). Both record what happened; neither
changes the state that later commands check, so their event methods apply nothing.
"""

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_state import ClientState
from aggregates.errors import InvalidValueError
from events import touches as tev
from events.vocabulary import TouchKind


def log_touch(self: ClientState, *, touch_id: UUID, kind: TouchKind, decision_maker_id: UUID | None,
              contact_role: str, happened_at: datetime, note: str, by: str) -> None:
    """A touch with a decision maker counts toward cadence; one with anyone else (named
    only by ``contact_role``) is recorded but does not."""
    if decision_maker_id is not None:
        self.check_is_decision_maker(decision_maker_id)
    elif not contact_role.strip():
        raise InvalidValueError("contact_role", "give the role of a contact who is not a"
                                " decision maker")
    self._touch_logged(
        touch_id=touch_id, kind=TouchKind(kind), decision_maker_id=decision_maker_id,
        contact_role=contact_role, counts_toward_cadence=decision_maker_id is not None,
        happened_at=happened_at, note=note, by=by)


@event(tev.TouchLogged)
def _touch_logged(self: ClientState, touch_id: UUID, kind: TouchKind, decision_maker_id: UUID | None,
                  contact_role: str, counts_toward_cadence: bool, happened_at: datetime,
                  note: str, by: str) -> None:
    pass


def record_feedback(self: ClientState, *, feedback_id: UUID, accepted_recommendation_ids: list[UUID],
                    declined_reasons: dict[UUID, str], changes_requested: str,
                    new_initiatives: list[str], recorded_at: datetime, by: str) -> None:
    """The client's word on recommendations; it informs, it does not approve (only a
    decision maker's approval does)."""
    for recommendation_id in (*accepted_recommendation_ids, *declined_reasons):
        self.recommendation(recommendation_id)
    if set(accepted_recommendation_ids) & set(declined_reasons):
        raise InvalidValueError("declined_reasons", "a recommendation cannot be both accepted"
                                " and declined")
    self._feedback_recorded(
        feedback_id=feedback_id,
        accepted_recommendation_ids=list(dict.fromkeys(accepted_recommendation_ids)),
        declined_reasons={str(k): v for k, v in declined_reasons.items()},
        changes_requested=changes_requested, new_initiatives=list(new_initiatives),
        recorded_at=recorded_at, by=by)


@event(tev.ClientFeedbackRecorded)
def _feedback_recorded(self: ClientState, feedback_id: UUID, accepted_recommendation_ids: list[UUID],
                       declined_reasons: dict[str, str], changes_requested: str,
                       new_initiatives: list[str], recorded_at: datetime, by: str) -> None:
    pass
