"""The port through which handlers seal personal data before it enters an event.

Each person has their own key; destroying it (crypto-shredding) erases that person from every
event and read model at once, without rewriting the append-only log.
"""

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

ERASED = "[erased]"


class PersonalDataVault(Protocol):
    def seal(self, person_id: UUID, value: str) -> str:
        """Encrypt ``value`` with the person's key (created on first use)."""
        ...

    def unseal(self, person_id: UUID, sealed: str) -> str:
        """Decrypt, or return ``ERASED`` when the person's key has been destroyed."""
        ...

    def unseal_all(self, person_id: UUID, sealed: Sequence[str]) -> list[str]:
        """:meth:`unseal` for several fields of one person, with one look-up of their key."""
        ...

    def forget(self, person_id: UUID) -> None:
        """Destroy the person's key for good."""
        ...
