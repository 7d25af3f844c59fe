"""API tokens: each maps to one tenant and one role; only a hash is stored.

A token has an id (to list and revoke it by), a name, a role, when it was created and last
used, and an optional expiry. A ``metrics`` token is an operator's: it reads ``/metrics`` and
nothing else (no tenant's data, no web page), and only the command line issues one.

A token found active is remembered in the process for ``ttl`` seconds (5 by default), so a busy
client pays one hash and no query per request. A revocation through this process's store evicts
the token at once; one made by another process (another API worker, the command line) holds
there within ``ttl`` seconds. An expiry is checked against the clock on every request. The
last-used time is written at most once a minute per token, in the same statement as the check.
"""

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from commands.results import Actor
from runtime.event_store import read_once_more_if_quick

ROLES = ("admin", "committee", "vcio", "tam", "viewer", "metrics")
METRICS_ROLE = "metrics"
MAX_LIFETIME = timedelta(days=3650)
_DURATION = re.compile(r"(\d{1,5})([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_lifetime(text: str) -> timedelta:
    """``90d``, ``12h``, ``2w`` or ``30m`` as a duration (at most ten years)."""
    found = _DURATION.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not a duration such as 90d, 12h, 2w or 30m")
    lifetime = timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
    check_lifetime(lifetime)
    return lifetime


def check_lifetime(lifetime: timedelta) -> None:
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise ValueError("a token's lifetime must be more than zero and at most ten years")


@dataclass(frozen=True)
class TokenRecord:
    token_id: UUID
    name: str
    tenant: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown once) and its record."""

    token: str
    record: TokenRecord


@dataclass(frozen=True)
class _Remembered:
    """An active token as last found in the table, and until when to trust that."""

    token_id: UUID
    actor: tuple[str, str, str]  # tenant, name, role
    expires_at: datetime | None
    trust_until: float  # time.monotonic()


class TokenStore:
    #: How many active tokens a process remembers at most (the least recently found go first).
    REMEMBERED = 10_000

    def __init__(self, pool: ConnectionPool, ttl: float = 5.0) -> None:
        self.pool = pool
        self.ttl = ttl
        self._remembered: OrderedDict[tuple[str, bool], _Remembered] = OrderedDict()
        self._lock = threading.Lock()
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-auth-schema'))")
            conn.execute("CREATE SCHEMA IF NOT EXISTS vcio_auth")
            conn.execute("CREATE TABLE IF NOT EXISTS vcio_auth.api_tokens ("
                         " token_hash text PRIMARY KEY, name text NOT NULL, tenant text NOT NULL,"
                         " role text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                         " revoked_at timestamptz)")
            # Added by the token lifecycle; older tables get them (and an id per token) here.
            conn.execute("ALTER TABLE vcio_auth.api_tokens"
                         " ADD COLUMN IF NOT EXISTS token_id uuid NOT NULL DEFAULT gen_random_uuid(),"
                         " ADD COLUMN IF NOT EXISTS last_used_at timestamptz,"
                         " ADD COLUMN IF NOT EXISTS expires_at timestamptz")
            conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS api_tokens_token_id"
                         " ON vcio_auth.api_tokens (token_id)")

    def issue(self, tenant: str, role: str, name: str,
              lifetime: timedelta | None = None) -> IssuedToken:
        """Create a token; the secret is returned this once and stored only as a hash."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not tenant.strip():
            raise ValueError("tenant must not be empty")
        if not name.strip():
            raise ValueError("name must not be empty")
        if lifetime is not None:
            check_lifetime(lifetime)
        token = "vcio_" + secrets.token_urlsafe(32)
        with self.pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO vcio_auth.api_tokens (token_hash, name, tenant, role, expires_at)"
                " VALUES (%s, %s, %s, %s, now() + %s)"
                " RETURNING token_id, name, tenant, role, created_at, last_used_at, expires_at",
                (token_hash(token), name, tenant, role, lifetime)).fetchone()
        if row is None:
            raise RuntimeError("INSERT ... RETURNING answered no row")
        return IssuedToken(token, TokenRecord(*row))

    def create(self, tenant: str, role: str, name: str, lifetime: timedelta | None = None) -> str:
        """Create a token and return it (shown once)."""
        return self.issue(tenant, role, name, lifetime).token

    def authenticate(self, token: str) -> Actor | None:
        """The token's actor, or None when it is unknown, revoked, expired or a metrics token."""
        row = self._check(token, metrics=False)
        return Actor(tenant=row[0], name=row[1], role=row[2]) if row else None

    def remembered(self, token: str) -> Actor | None:
        """The token's actor when this process trusts it right now (no query: safe on an event
        loop); None means only "not remembered": ask ``authenticate``."""
        known = self._trusted((token_hash(token), False))
        return None if known is None else Actor(tenant=known[0], name=known[1], role=known[2])

    def authenticate_metrics(self, token: str) -> bool:
        """Whether ``token`` is an active metrics token (the only kind ``/metrics`` accepts)."""
        return self._check(token, metrics=True) is not None

    def _check(self, token: str, metrics: bool) -> tuple[str, str, str] | None:
        key = (token_hash(token), metrics)
        trusted = self._trusted(key)
        if trusted is not None:
            return trusted
        # A connection the server closed (a restart, a failover) fails at once: look again on a
        # live one rather than answer 503 for every stale connection left in the pool.
        found = read_once_more_if_quick(lambda: self._look_up(key[0], metrics), self.pool.check,
                                        (psycopg.OperationalError, psycopg.InterfaceError))
        with self._lock:
            if found is None:
                self._remembered.pop(key, None)
                return None
            self._remembered[key] = replace(found, trust_until=time.monotonic() + self.ttl)
            self._remembered.move_to_end(key)
            while len(self._remembered) > self.REMEMBERED:
                self._remembered.popitem(last=False)
        return found.actor

    def _trusted(self, key: tuple[str, bool]) -> tuple[str, str, str] | None:
        with self._lock:
            known = self._remembered.get(key)
        if known is not None and time.monotonic() < known.trust_until and (
                known.expires_at is None or known.expires_at > datetime.now(UTC)):
            return known.actor
        return None

    def forget(self, token_id: UUID) -> None:
        """Stop trusting what this process remembers of the token (it is looked up again)."""
        with self._lock:
            for key in [k for k, v in self._remembered.items() if v.token_id == token_id]:
                del self._remembered[key]

    def _look_up(self, hashed: str, metrics: bool) -> _Remembered | None:
        with self.pool.connection() as conn:
            row = conn.execute(
                "WITH found AS (SELECT token_hash, token_id, tenant, name, role, last_used_at,"
                "  expires_at FROM vcio_auth.api_tokens WHERE token_hash = %s AND revoked_at IS NULL"
                "  AND (role = %s) = %s AND (expires_at IS NULL OR expires_at > now())),"
                " touched AS (UPDATE vcio_auth.api_tokens t SET last_used_at = now() FROM found"
                "  WHERE t.token_hash = found.token_hash AND (found.last_used_at IS NULL"
                "  OR found.last_used_at < now() - interval '1 minute'))"
                " SELECT token_id, tenant, name, role, expires_at FROM found",
                (hashed, METRICS_ROLE, metrics)).fetchone()
        return _Remembered(row[0], (row[1], row[2], row[3]), row[4], 0.0) if row else None

    def list(self, tenant: str) -> list[TokenRecord]:
        """The tenant's tokens that are neither revoked nor expired, oldest first."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT token_id, name, tenant, role, created_at, last_used_at, expires_at"
                " FROM vcio_auth.api_tokens WHERE tenant = %s"
                " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
                " ORDER BY created_at, token_id", (tenant,)).fetchall()
        return [TokenRecord(*r) for r in rows]

    def revoke(self, tenant: str, token_id: UUID) -> bool:
        """Revoke one of the tenant's tokens; False when it has no such active token."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "UPDATE vcio_auth.api_tokens SET revoked_at = now()"
                " WHERE tenant = %s AND token_id = %s AND revoked_at IS NULL RETURNING token_id",
                (tenant, token_id)).fetchone()
        self.forget(token_id)
        return row is not None
