"""The bearer-token look-up is remembered in the process for a few seconds: a revocation made
through the same store holds at once, one made elsewhere holds once the memory lapses, and a
remembered token past its expiry is refused."""

import time
from datetime import timedelta

from psycopg import connect

from runtime.tokens import TokenStore


def revoke_elsewhere(conninfo: str, token_id: object) -> None:
    """What another process (a second API worker, the command line) does to revoke."""
    with connect(conninfo, autocommit=True) as conn:
        conn.execute("UPDATE vcio_auth.api_tokens SET revoked_at = now() WHERE token_id = %s",
                     (token_id,))


def test_a_token_revoked_through_the_same_store_is_refused_at_once(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "viewer", "leaver")
    assert store.authenticate(issued.token) is not None

    store.revoke(tenant, issued.record.token_id)

    assert store.authenticate(issued.token) is None


def test_a_remembered_token_answers_without_the_table_until_its_time_lapses(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "vcio", "vic")
    store.authenticate(issued.token)

    revoke_elsewhere(services.database.conninfo, issued.record.token_id)

    assert store.authenticate(issued.token) is not None  # remembered: no look-up


def test_a_token_revoked_by_another_process_is_refused_once_the_memory_lapses(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=0.05)
    issued = store.issue(tenant, "vcio", "vic")
    store.authenticate(issued.token)
    revoke_elsewhere(services.database.conninfo, issued.record.token_id)

    time.sleep(0.1)

    assert store.authenticate(issued.token) is None


def test_a_remembered_token_past_its_expiry_is_refused(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "viewer", "temp", lifetime=timedelta(seconds=1))
    assert store.authenticate(issued.token) is not None

    time.sleep(1.1)

    assert store.authenticate(issued.token) is None


def test_a_metrics_token_is_not_remembered_as_a_tenant_token(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "metrics", "scraper")
    assert store.authenticate_metrics(issued.token)

    assert store.authenticate(issued.token) is None


def test_a_token_never_looked_up_in_this_process_is_not_remembered(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "vcio", "vic")

    assert store.remembered(issued.token) is None  # so the caller looks it up, off the event loop


def test_a_token_looked_up_is_remembered_with_its_actor(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "vcio", "vic")
    store.authenticate(issued.token)

    found = store.remembered(issued.token)

    assert (found.tenant, found.name, found.role) == (tenant, "vic", "vcio")


def test_a_token_revoked_through_the_same_store_is_remembered_no_more(services, tenant) -> None:
    store = TokenStore(services.pool, ttl=3600)
    issued = store.issue(tenant, "vcio", "vic")
    store.authenticate(issued.token)

    store.revoke(tenant, issued.record.token_id)

    assert store.remembered(issued.token) is None
