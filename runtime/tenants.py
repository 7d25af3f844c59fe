"""The MSPs (tenants) this installation serves, so that a mistyped ``--tenant`` is refused
instead of quietly starting an empty MSP.

A tenant is created once (``vcio tenants create NAME``, or by the demo). A table made by an
older version is seeded with the tenants its tokens already name.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from psycopg_pool import ConnectionPool

TENANT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")


class UnknownTenantError(ValueError):
    """A ``--tenant`` that names no known MSP."""


@dataclass(frozen=True)
class Tenant:
    name: str
    created_at: datetime


def check_tenant_name(name: str) -> str:
    if not TENANT_NAME.fullmatch(name):
        raise ValueError(f"tenant name {name!r} must be 1-63 lower-case letters, digits, '.', '_' or '-',"
                         " starting with a letter or digit")
    return name


class TenantStore:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('vcio-auth-schema'))")
            conn.execute("CREATE SCHEMA IF NOT EXISTS vcio_auth")
            created = conn.execute(
                "SELECT to_regclass('vcio_auth.tenants') IS NULL").fetchone() == (True,)
            conn.execute("CREATE TABLE IF NOT EXISTS vcio_auth.tenants ("
                         " name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())")
            tokens = conn.execute(
                "SELECT to_regclass('vcio_auth.api_tokens') IS NOT NULL").fetchone() == (True,)
            if created and tokens:
                conn.execute("INSERT INTO vcio_auth.tenants (name)"
                             " SELECT DISTINCT tenant FROM vcio_auth.api_tokens ON CONFLICT DO NOTHING")

    def create(self, name: str) -> bool:
        """Register a tenant; False when it was already known."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO vcio_auth.tenants (name) VALUES (%s) ON CONFLICT DO NOTHING RETURNING name",
                (check_tenant_name(name),)).fetchone()
        return row is not None

    def list(self) -> list[Tenant]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT name, created_at FROM vcio_auth.tenants ORDER BY name").fetchall()
        return [Tenant(*r) for r in rows]

    def check_known(self, name: str) -> str:
        """``name`` when it is a known tenant; otherwise an error listing the known ones."""
        with self.pool.connection() as conn:
            found = conn.execute("SELECT 1 FROM vcio_auth.tenants WHERE name = %s", (name,)).fetchone()
        if found is None:
            known = ", ".join(t.name for t in self.list()) or "none yet"
            raise UnknownTenantError(f"unknown tenant {name!r} (known: {known});"
                                     " create it with 'vcio tenants create NAME'")
        return name
