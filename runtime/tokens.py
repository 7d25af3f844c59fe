"""API tokens: each maps to one tenant and one role; only a hash is stored."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from psycopg_pool import ConnectionPool

from commands.results import Actor

ROLES = ("admin", "committee", "vcio", "tam", "viewer")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenRecord:
    name: str
    tenant: str
    role: str
    created_at: datetime


class TokenStore:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-auth-schema'))")
            conn.execute("CREATE SCHEMA IF NOT EXISTS vcio_auth")
            conn.execute("CREATE TABLE IF NOT EXISTS vcio_auth.api_tokens ("
                         " token_hash text PRIMARY KEY, name text NOT NULL, tenant text NOT NULL,"
                         " role text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                         " revoked_at timestamptz)")

    def create(self, tenant: str, role: str, name: str) -> str:
        """Create a token and return it; it is shown once and stored only as a hash."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not tenant.strip():
            raise ValueError("tenant must not be empty")
        token = "vcio_" + secrets.token_urlsafe(32)
        with self.pool.connection() as conn:
            conn.execute("INSERT INTO vcio_auth.api_tokens (token_hash, name, tenant, role)"
                         " VALUES (%s, %s, %s, %s)", (token_hash(token), name, tenant, role))
        return token

    def authenticate(self, token: str) -> Actor | None:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT tenant, name, role FROM vcio_auth.api_tokens"
                               " WHERE token_hash = %s AND revoked_at IS NULL",
                               (token_hash(token),)).fetchone()
        return Actor(tenant=row[0], name=row[1], role=row[2]) if row else None

    def list(self, tenant: str) -> list[TokenRecord]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT name, tenant, role, created_at FROM vcio_auth.api_tokens"
                                " WHERE tenant = %s AND revoked_at IS NULL ORDER BY created_at",
                                (tenant,)).fetchall()
        return [TokenRecord(*r) for r in rows]
