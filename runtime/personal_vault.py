"""Per-person encryption keys for decision makers' personal data (crypto-shredding).

Events hold only ciphertext; the key lives in ``vcio_private.personal_keys``. Destroying a
person's key makes every copy of their name, email and phone unreadable, in the log and in
every read model, without rewriting history.
"""

import base64
import os
import threading
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


class InMemoryVault:
    """The vault for unit tests: same cryptography, keys kept in a dict."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes] = {}

    def seal(self, person_id: UUID, value: str) -> str:
        key = self._keys.setdefault(person_id, AESGCM.generate_key(bit_length=256))
        return _seal(key, person_id, value)

    def unseal(self, person_id: UUID, sealed: str) -> str:
        key = self._keys.get(person_id)
        return ERASED if key is None else _unseal(key, person_id, sealed)

    def forget(self, person_id: UUID) -> None:
        self._keys.pop(person_id, None)


class PostgresVault:
    """Keys stored in PostgreSQL, cached in memory; ``forget`` deletes the key for good."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        self._cache: dict[UUID, bytes | None] = {}
        self._lock = threading.Lock()
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-private-schema'))")
            conn.execute("CREATE SCHEMA IF NOT EXISTS vcio_private")
            conn.execute("CREATE TABLE IF NOT EXISTS vcio_private.personal_keys ("
                         " person_id uuid PRIMARY KEY, key bytea NOT NULL,"
                         " created_at timestamptz NOT NULL DEFAULT now())")

    def _key(self, person_id: UUID, create: bool) -> bytes | None:
        with self._lock:
            if self._cache.get(person_id) is not None:
                return self._cache[person_id]
        with self.pool.connection() as conn:
            if create:
                conn.execute("INSERT INTO vcio_private.personal_keys (person_id, key) VALUES (%s, %s)"
                             " ON CONFLICT (person_id) DO NOTHING",
                             (person_id, AESGCM.generate_key(bit_length=256)))
            row = conn.execute("SELECT key FROM vcio_private.personal_keys WHERE person_id = %s",
                               (person_id,)).fetchone()
        key = bytes(row[0]) if row else None
        with self._lock:
            self._cache[person_id] = key
        return key

    def seal(self, person_id: UUID, value: str) -> str:
        key = self._key(person_id, create=True)
        assert key is not None  # just created
        return _seal(key, person_id, value)

    def unseal(self, person_id: UUID, sealed: str) -> str:
        key = self._key(person_id, create=False)
        return ERASED if key is None else _unseal(key, person_id, sealed)

    def forget(self, person_id: UUID) -> None:
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM vcio_private.personal_keys WHERE person_id = %s", (person_id,))
        with self._lock:
            self._cache.pop(person_id, None)
