"""Events about a client's relationship with the MSP: onboarding, profile, decision makers
(and their erasure on request), offboarding and re-onboarding.

Decision makers' personal data (name, email, phone) is never stored in clear in an event: the
fields hold ciphertext sealed with a per-person key, so destroying that key erases the person
without rewriting the log.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from events.base import TenantCreated, TenantEvent


class ClientOnboarded(TenantCreated):
    name: str
    mrr: Decimal
    user_count: int
    complexity: int
    industry: str
    fiscal_year_start_month: int
    vcio: str
    tam: str
    by: str


class ClientProfileChanged(TenantEvent):
    """``changes`` maps each changed profile field to its new value (JSON-plain), holding from
    ``effective_on`` (an MRR that changed with last month's invoice, a vCIO who takes over next
    Monday), so period metrics use the values in force in the period.

    Version 2 added ``effective_on``; version-1 events hold from the day they were recorded
    (``effective_on`` None)."""

    class_version = 2

    changes: dict[str, Any]
    effective_on: date | None
    by: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_on"] = None


class DecisionMakerAdded(TenantEvent):
    decision_maker_id: UUID
    title: str
    sealed_name: str
    sealed_email: str
    sealed_phone: str
    by: str


class DecisionMakerRemoved(TenantEvent):
    decision_maker_id: UUID
    reason: str
    by: str


class DecisionMakerErased(TenantEvent):
    """The person asked to be forgotten: their personal-data key was destroyed, so every sealed
    copy of their name, email and phone (in this log and every read model) reads as erased. The
    event itself holds nothing personal; it is the audit record of the erasure."""

    decision_maker_id: UUID
    reason: str
    by: str


class ClientOffboarded(TenantEvent):
    """The client leaves the MSP from ``effective_on``: out of counts, targets and future plans,
    kept in history. Its planned meetings from that day are cancelled in the same save."""

    effective_on: date
    reason: str
    by: str


class ClientReonboarded(TenantEvent):
    """An offboarding reversed: the client counts and is planned again."""

    reason: str
    by: str
