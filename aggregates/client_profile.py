"""The ``Client`` aggregate's profile, decision makers and place in the MSP's book (offboarded or not).

Every function here is a method of ``Client``, assigned in its class body (see
``aggregates.client`` for why they live outside the class). Approving spending and counting
touches toward cadence both ask ``check_is_decision_maker``, so it stays with the people it checks.

Offboarding cancels, in the same save, every meeting still planned from the day it takes effect,
so the calendar, the dashboard's meetings ahead and the ICS feeds lose them by events; held and
earlier meetings stay as history. Re-onboarding does not bring cancelled meetings back: the
vCIO schedules anew.
"""

from dataclasses import asdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from aggregates.client_state import ClientState, Profile
from aggregates.errors import (
    ClientNotOffboardedError,
    ClientOffboardedError,
    InvalidValueError,
    PersonAlreadyErasedError,
    UnknownDecisionMakerError,
)
from events import clients as cev
from events.vocabulary import MeetingStatus

PROFILE_FIELDS = ("name", "mrr", "user_count", "complexity", "industry",
                  "fiscal_year_start_month", "vcio", "tam")


def check_profile_value(name: str, value: Any) -> Any:
    """Validate one profile field, returning its JSON-plain form."""
    if name not in PROFILE_FIELDS:
        raise InvalidValueError(name, "is not a profile field of a client")
    if name == "mrr":
        amount = Decimal(str(value))
        if amount < 0:
            raise InvalidValueError("mrr", "must not be negative")
        return str(amount)
    if name == "complexity" and not 1 <= int(value) <= 10:
        raise InvalidValueError("complexity", "must be between 1 and 10")
    if name == "fiscal_year_start_month" and not 1 <= int(value) <= 12:
        raise InvalidValueError("fiscal_year_start_month", "must be a month number 1-12")
    if name == "user_count" and int(value) < 0:
        raise InvalidValueError("user_count", "must not be negative")
    if name in ("complexity", "fiscal_year_start_month", "user_count"):
        return int(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(name, "must be non-empty text")
    return value


def profile_on(self: ClientState, day: date) -> Profile:
    """The profile in force on ``day``: the onboarding values, then every change dated on or
    before ``day``, by its day and then in the order recorded (a change recorded before changes
    carried a day holds from the start)."""
    values = asdict(self.onboarded_profile)
    for _, _, changes in sorted(c for c in self.dated_profile if c[0] <= day):
        values.update({k: Decimal(v) if k == "mrr" else v for k, v in changes.items()})
    return Profile(**values)


def change_profile(self: ClientState, *, changes: dict[str, Any], by: str,
                   effective_on: date | None = None) -> None:
    """Record changes that hold from ``effective_on`` (None: the day recorded); until that day
    every decision still sees the values before them. A change must differ from the profile in
    force on its day."""
    plain = {name: check_profile_value(name, value) for name, value in changes.items()}
    then = self.profile_on(effective_on or date.max)
    differing = {k: v for k, v in plain.items() if str(getattr(then, k)) != str(v)}
    if not differing:
        raise InvalidValueError("changes", "no profile field differs from the profile in force on"
                                           f" {effective_on or 'the day recorded'}")
    self._profile_changed(changes=differing, effective_on=effective_on, by=by)


@event(cev.ClientProfileChanged)
def _profile_changed(self: ClientState, changes: dict[str, Any], effective_on: date | None,
                     by: str) -> None:
    for name, value in changes.items():
        setattr(self, name, Decimal(value) if name == "mrr" else value)
    self.dated_profile = (*self.dated_profile,
                          (effective_on or date.min, len(self.dated_profile), dict(changes)))


@event(cev.DecisionMakerAdded)
def add_decision_maker(
    self: ClientState, *, decision_maker_id: UUID, title: str, sealed_name: str, sealed_email: str,
    sealed_phone: str, by: str,
) -> None:
    self.decision_makers.add(decision_maker_id)
    self.people_ever = self.people_ever | {decision_maker_id}


def check_is_decision_maker(self: ClientState, decision_maker_id: UUID,
                            field: str = "decision_maker_id") -> None:
    if decision_maker_id not in self.decision_makers:
        raise UnknownDecisionMakerError(field, "is not a current decision maker of this client")


def remove_decision_maker(self: ClientState, *, decision_maker_id: UUID, reason: str, by: str) -> None:
    self.check_is_decision_maker(decision_maker_id)
    self._decision_maker_removed(decision_maker_id=decision_maker_id, reason=reason, by=by)


@event(cev.DecisionMakerRemoved)
def _decision_maker_removed(self: ClientState, decision_maker_id: UUID, reason: str, by: str) -> None:
    self.decision_makers.discard(decision_maker_id)


def check_erasable(self: ClientState, decision_maker_id: UUID) -> None:
    """Anyone ever a decision maker of this client may be erased, once (removed ones too)."""
    if decision_maker_id not in self.people_ever:
        raise UnknownDecisionMakerError("decision_maker_id", "was never a decision maker of this client")
    if decision_maker_id in self.people_erased:
        raise PersonAlreadyErasedError("decision_maker_id", "this person's personal data is already erased")


def erase_decision_maker(self: ClientState, *, decision_maker_id: UUID, reason: str, by: str) -> None:
    """Record an erasure whose key the handler has just destroyed (see commands/clients.py)."""
    self.check_erasable(decision_maker_id)
    self._decision_maker_erased(decision_maker_id=decision_maker_id, reason=reason, by=by)


@event(cev.DecisionMakerErased)
def _decision_maker_erased(self: ClientState, decision_maker_id: UUID, reason: str, by: str) -> None:
    self.people_erased = self.people_erased | {decision_maker_id}


def check_client_is_active(self: ClientState) -> None:
    if self.offboarded_on is not None:
        raise ClientOffboardedError(
            "client_id", f"the client was offboarded effective {self.offboarded_on}")


def offboard(self: ClientState, *, effective_on: date, reason: str, by: str) -> None:
    """Offboard the client and cancel its meetings still planned from ``effective_on``."""
    self.check_client_is_active()
    if not reason.strip():
        raise InvalidValueError("reason", "must say why the client leaves")
    self._client_offboarded(effective_on=effective_on, reason=reason, by=by)
    cutoff = datetime.combine(effective_on, time(), UTC)
    for meeting in sorted(self.meetings.values(), key=lambda m: m.scheduled_for):
        if meeting.status is MeetingStatus.PLANNED and meeting.scheduled_for >= cutoff:
            self._meeting_cancelled(meeting_id=meeting.meeting_id,
                                    reason=f"client offboarded: {reason}", by=by)


@event(cev.ClientOffboarded)
def _client_offboarded(self: ClientState, effective_on: date, reason: str, by: str) -> None:
    self.offboarded_on = effective_on


def reonboard(self: ClientState, *, reason: str, by: str, now: datetime) -> None:
    """Bring the client back; the meetings its offboarding cancelled that are still ahead of
    ``now`` are planned again in the same save."""
    if self.offboarded_on is None:
        raise ClientNotOffboardedError("client_id", "the client is active (not offboarded)")
    ahead = sorted((self.meetings[m] for m in self.cancelled_by_offboarding
                    if self.meetings[m].scheduled_for > now), key=lambda m: m.scheduled_for)
    self._client_reonboarded(reason=reason, by=by)
    for meeting in ahead:
        self._meeting_restored(meeting_id=meeting.meeting_id,
                               reason=f"client re-onboarded: {reason}" if reason else "client re-onboarded",
                               by=by)


@event(cev.ClientReonboarded)
def _client_reonboarded(self: ClientState, reason: str, by: str) -> None:
    self.offboarded_on = None
    self.cancelled_by_offboarding = frozenset()
