"""Per-person encryption keys for decision makers' personal data (crypto-shredding).

Events hold only ciphertext; the key lives in ``vcio_private.personal_keys``. Destroying a
person's key makes every copy of their name, email and phone unreadable, in the log and in
every read model, without rewriting history.
"""

import base64
import os
from collections.abc import Sequence
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg_pool import ConnectionPool

from commands.personal_data import ERASED

NONCE_BYTES = 12


def _seal(key: bytes, person_id: UUID, value: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), person_id.bytes)
    return base64.b64encode(nonce + sealed).decode()


def _unseal(key: bytes, person_id: UUID, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], person_id.bytes).decode()


def opened(key: bytes | None, person_id: UUID, sealed: Sequence[str]) -> list[str]:
    """Each value decrypted with the person's key, or ``ERASED`` when the key is gone."""
    return [ERASED if key is None else _unseal(key, person_id, value) for value in sealed]


class InMemoryVault:
    """The vault for unit tests: same cryptography, keys kept in a dict."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes] = {}

    def seal(self, person_id: UUID, value: str) -> str:
        key = self._keys.setdefault(person_id, AESGCM.generate_key(bit_length=256))
        return _seal(key, person_id, value)

    def unseal(self, person_id: UUID, sealed: str) -> str:
        return self.unseal_all(person_id, [sealed])[0]

    def unseal_all(self, person_id: UUID, sealed: Sequence[str]) -> list[str]:
        return opened(self._keys.get(person_id), person_id, sealed)

    def forget(self, person_id: UUID) -> None:
        self._keys.pop(person_id, None)


class PostgresVault:
    """Keys stored in PostgreSQL; ``forget`` deletes the key for good.

    Keys are read from the table on every use, never cached: an erasure made by one process
    (the API worker that handled it) must hold at once in every other process too.
    """

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-private-schema'))")
            conn.execute("CREATE SCHEMA IF NOT EXISTS vcio_private")
            conn.execute("CREATE TABLE IF NOT EXISTS vcio_private.personal_keys ("
                         " person_id uuid PRIMARY KEY, key bytea NOT NULL,"
                         " created_at timestamptz NOT NULL DEFAULT now())")

    def _key(self, person_id: UUID, create: bool) -> bytes | None:
        with self.pool.connection() as conn:
            if create:
                conn.execute("INSERT INTO vcio_private.personal_keys (person_id, key) VALUES (%s, %s)"
                             " ON CONFLICT (person_id) DO NOTHING",
                             (person_id, AESGCM.generate_key(bit_length=256)))
            row = conn.execute("SELECT key FROM vcio_private.personal_keys WHERE person_id = %s",
                               (person_id,)).fetchone()
        return bytes(row[0]) if row else None

    def seal(self, person_id: UUID, value: str) -> str:
        key = self._key(person_id, create=True)
        if key is None:
            raise RuntimeError(f"the personal-data key of {person_id} was erased while sealing")
        return _seal(key, person_id, value)

    def unseal(self, person_id: UUID, sealed: str) -> str:
        return self.unseal_all(person_id, [sealed])[0]

    def unseal_all(self, person_id: UUID, sealed: Sequence[str]) -> list[str]:
        return opened(self._key(person_id, create=False), person_id, sealed)

    def forget(self, person_id: UUID) -> None:
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM vcio_private.personal_keys WHERE person_id = %s", (person_id,))
