"""The ``StandardSuggestion`` aggregate: one suggestion to the standards committee, open until
the committee accepts it into a change set (where it is a proposal) or declines it with a reason.

A suggestion is its own small aggregate rather than part of the change set: it exists before
any change set does, is sent by people who may not touch change sets, and is decided once.
"""

from uuid import UUID

from eventsourcing.domain import event

from aggregates.errors import ConflictError, InvalidValueError
from aggregates.tenanted import TenantAggregate
from events import suggestions as ev
from events.vocabulary import SuggestionKind


class SuggestionDecidedError(ConflictError):
    pass


class StandardSuggestion(TenantAggregate):
    """A suggested new standard or change, and the committee's decision on it."""

    StandardSuggested = ev.StandardSuggested
    SuggestionAccepted = ev.SuggestionAccepted
    SuggestionDeclined = ev.SuggestionDeclined

    @event(StandardSuggested)
    def __init__(self, *, tenant: str, kind: SuggestionKind, text: str, standard_id: UUID | None,
                 standard_key: str | None, client_id: UUID | None, client_name: str | None,
                 by: str, by_role: str) -> None:
        self.tenant = tenant
        self.kind = SuggestionKind(kind)
        self.text = text
        self.standard_id = standard_id
        self.standard_key = standard_key
        self.client_id = client_id
        self.client_name = client_name
        self.by = by
        self.status = "open"
        self.change_set_id: UUID | None = None

    @staticmethod
    def check_change_names_its_standard(kind: SuggestionKind, standard_id: UUID | None) -> None:
        if SuggestionKind(kind) is SuggestionKind.CHANGE and standard_id is None:
            raise InvalidValueError("standard_id", "a suggested change names the standard to change")

    def check_is_open(self) -> None:
        if self.status != "open":
            raise SuggestionDecidedError("suggestion_id", f"the suggestion was already {self.status}")

    def accept(self, *, change_set_id: UUID, item_id: UUID, by: str) -> None:
        self.check_is_open()
        self._accepted(change_set_id=change_set_id, item_id=item_id, by=by)

    @event(SuggestionAccepted)
    def _accepted(self, change_set_id: UUID, item_id: UUID, by: str) -> None:
        self.status = "accepted"
        self.change_set_id = change_set_id

    def decline(self, *, reason: str, by: str) -> None:
        self.check_is_open()
        if not reason.strip():
            raise InvalidValueError("reason", "declining a suggestion needs a reason")
        self._declined(reason=reason, by=by)

    @event(SuggestionDeclined)
    def _declined(self, reason: str, by: str) -> None:
        self.status = "declined"
